import Foundation
public import LightboxCrypto

/// The project's development chain (`contracts/devchain.py`: py-evm behind JSON-RPC) run as a child process, for
/// `lightbox demo --ledger evm` and tests; stopped when this object goes, and ending by itself when this process
/// ends without that (a test run's exit). Never part of a production node.
public final class DevelopmentChain: Sendable {
    public let url: String
    /// The chain's funded development account.
    public let developmentKey: Secp256k1.PrivateKey
    private let process: Process

    /// Starts `script` with `python`; `blockTime` 0 mines each transaction at once.
    /// - Throws: ``EVMError`` `.configuration` when the chain does not start, saying what it printed.
    public init(python: String, script: String, blockTime: Double = 0) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-devchain-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("dev.key").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script, "--port", "0", "--block-time", "\(blockTime)", "--key-file", keyFile, "--exit-with-parent"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        struct Ready: Decodable { let url: String }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line)) else {
            process.terminate()
            throw EVMError(.configuration, "the development chain did not start: \(String(decoding: line.prefix(300), as: UTF8.self))")
        }
        url = ready.url
        developmentKey = try Secp256k1.PrivateKey(hexFile: keyFile)
        self.process = process
    }

    deinit {
        process.terminate()
    }
}
