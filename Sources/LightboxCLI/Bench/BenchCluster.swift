import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `lightbox` processes a benchmark starts on one database and one data directory: the first `serve` makes the
/// ledger, the others open it; with more than one process the servers leave the jobs to one `worker`.
struct BenchCluster {
    let directory: String
    let databaseURL: String
    private(set) var urls: [String] = []
    private var running: [Process] = []

    init(directory: String, databaseURL: String) {
        self.directory = directory
        self.databaseURL = databaseURL
    }

    mutating func start(processes: Int) async throws {
        let servers = processes == 1 ? 1 : processes - 1
        let unlimited = "1000000"
        var environment = ProcessInfo.processInfo.environment
        environment["LIGHTBOX_DATABASE_URL"] = databaseURL
        environment["LIGHTBOX_DATA_DIR"] = directory + "/node"
        environment["LIGHTBOX_LOG_LEVEL"] = ProcessInfo.processInfo.environment["LIGHTBOX_BENCH_LOG_LEVEL"] ?? "warning"
        environment["LIGHTBOX_KEY_PASSPHRASE"] = ""
        environment["LIGHTBOX_WORKERS_IN_PROCESS"] = processes == 1 ? "true" : "false"
        for key in ["LIGHTBOX_RATE_CLIENT_PER_SECOND", "LIGHTBOX_RATE_CLIENT_BURST", "LIGHTBOX_RATE_ACCOUNT_PER_SECOND", "LIGHTBOX_RATE_ACCOUNT_BURST"] {
            environment[key] = unlimited
        }
        for _ in 0..<servers {
            let port = try Self.freePort()
            let url = "http://127.0.0.1:\(port)"
            running.append(try Self.launch(["serve", "--port", "\(port)"], environment: environment, log: directory + "/serve-\(port).log"))
            try await Self.waitUntilReady(url, process: running.last!)
            urls.append(url)
        }
        if processes > 1 {
            running.append(try Self.launch(["worker"], environment: environment, log: directory + "/worker.log"))
        }
    }

    /// Stops every process (SIGTERM) and waits for it.
    func stop() {
        for process in running where process.isRunning { process.terminate() }
        for process in running { process.waitUntilExit() }
    }

    private static func launch(_ arguments: [String], environment: [String: String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    private static func waitUntilReady(_ url: String, process: Process) async throws {
        for _ in 0..<600 {
            guard process.isRunning else { throw CommandError("a lightbox serve process of the benchmark exited at start; see its log") }
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(2)),
               response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandError("\(url) did not become ready within a minute")
    }

    /// A loopback port nothing listens on now.
    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw CommandError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
