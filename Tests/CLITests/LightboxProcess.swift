import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Runs the built `lightbox` binary as a real process, as an operator would.
///
/// The binary is `$LIGHTBOX_BINARY`, or `.build/debug/lightbox` in this checkout (built by `swift build`).
struct LightboxProcess {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["LIGHTBOX_BINARY"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/lightbox").path
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    /// The environment for a run: the test's own, minus any LIGHTBOX_ settings, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LIGHTBOX_") }
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs to completion (killed after `timeout`).
    static func run(
        _ arguments: [String], in directory: URL, environment extra: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> Output {
        let running = try start(arguments, in: directory, environment: extra)
        return try await running.wait(timeout: timeout)
    }

    /// Starts without waiting.
    static func start(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Running {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing: build it first (swift build), or set LIGHTBOX_BINARY")
            throw CancellationError()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment(extra)
        let id = UUID().uuidString
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-out-\(id)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdoutFile: out, stderrFile: err)
    }

    /// A started process.
    struct Running {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL

        var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

        func wait(timeout: Duration) async throws -> Output {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning {
                if ContinuousClock.now > deadline {
                    process.terminate()
                    Issue.record("lightbox did not exit within \(timeout); stderr: \(stderr)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            return Output(
                status: process.terminationStatus,
                stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
                stderr: stderr
            )
        }
    }

    /// A new empty working directory.
    static func workingDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let listener = try Listener()
        defer { listener.close() }
        return listener.port
    }

    /// GET over real HTTP; nil when nothing answers.
    static func get(_ url: String) async -> (status: Int, body: String)? {
        guard let url = URL(string: url) else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Polls `url` until it answers, or fails the test.
    /// Another process took the port between choosing it and the server's start.
    struct PortTaken: Error {}

    /// Waits until `url` answers and the answer is the process's own: it has logged that it listens (a process that
    /// found its port taken would otherwise be mistaken for whichever process holds it).
    static func waitUntilServing(_ url: String, running: Running) async throws -> (status: Int, body: String) {
        let components = URLComponents(string: url)
        let origin = "http://\(components?.host ?? ""):\(components?.port ?? 0)"
        for _ in 0..<300 {
            // The log line `listening` names the address: the process's own, whatever the log format.
            if running.stderr.contains(origin), let answer = await get(url) { return answer }
            if !running.process.isRunning {
                if running.stderr.contains("the address is already in use") { throw PortTaken() }
                Issue.record("lightbox exited early: \(running.stderr)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(url) never answered; stderr: \(running.stderr)")
        throw CancellationError()
    }
}

/// A listening TCP socket on 127.0.0.1, to occupy a port.
final class Listener {
    private let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
    deinit { close() }
}
