public import AsyncHTTPClient
public import Foundation
public import Ledger
public import LightboxCrypto
public import Logging
import Testing

/// The development EVM chain for tests: the shared one the test command started (`LIGHTBOX_TEST_EVM_RPC_URL`, its
/// funded key in `LIGHTBOX_TEST_EVM_KEY_FILE`), or a private one for a test that rewinds the chain. Tests fund fresh
/// accounts from the development key, whose nonces are handed out by one reservation book for the whole process.
public enum TestChain {
    public static let http = HTTPClient(eventLoopGroupProvider: .singleton)
    public static let logger = Logger(label: "lightbox.tests.chain")
    /// One book for every sender in the test process, so tests funding accounts at once never collide.
    public static let nonces = InMemoryNonceReservations()
    public static let quickTiming = TransactionSender.Timing(pollInterval: .milliseconds(20), replaceAfter: .seconds(5), timeout: .seconds(60))
    public static let ether: UInt128 = 1_000_000_000_000_000_000

    /// The shared chain's URL; a test that needs it fails with instructions when it is missing.
    public static func sharedURL() throws -> String {
        try environment("LIGHTBOX_TEST_EVM_RPC_URL")
    }

    public static func rpc(_ url: String) -> EthereumRPC {
        EthereumRPC(transport: HTTPJSONRPCTransport(url: url, http: http))
    }

    /// The shared chain's funded development key.
    public static func developmentKey() throws -> Secp256k1.PrivateKey {
        let path = try environment("LIGHTBOX_TEST_EVM_KEY_FILE")
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try Secp256k1.PrivateKey(bytes: [UInt8](hexString: text)!)
    }

    /// A sender for `key` on the chain at `url`.
    public static func sender(_ key: Secp256k1.PrivateKey, url: String, confirmations: UInt64 = 1,
                              nonces: any NonceReservations = TestChain.nonces) async throws -> TransactionSender {
        let rpc = rpc(url)
        return TransactionSender(rpc: rpc, chainID: try await rpc.chainID(), key: key, nonces: nonces,
                                 confirmations: confirmations, timing: quickTiming, logger: logger)
    }

    /// A new random key holding `amount` wei on the shared chain.
    public static func fundedKey(_ amount: UInt128 = 10 * ether, url: String? = nil) async throws -> Secp256k1.PrivateKey {
        let url = try url ?? sharedURL()
        let key = Secp256k1.PrivateKey.random()
        let funder = try await sender(try developmentKey(), url: url)
        _ = try await funder.send(to: EthereumAddress(publicKey: key.publicKey), data: [], value: amount, what: "funding a test account")
        return key
    }

    private static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            Issue.record("\(name) is not set: run the suite with ops/test, which starts the development chain")
            throw CancellationError()
        }
        return value
    }
}

/// A development chain of a test's own (contracts/devchain.py in a child process), for tests that mine, snapshot
/// and revert: the shared chain must not be rewound under other tests.
public final class PrivateTestChain: Sendable {
    public let url: String
    public let developmentKey: Secp256k1.PrivateKey
    /// The development key's nonces on this chain.
    public let nonces = InMemoryNonceReservations()
    private let process: Process

    /// Starts a chain; `blockTime` 0 mines each transaction at once, more leaves them pending between blocks.
    public init(blockTime: Double = 0) throws {
        guard let python = ProcessInfo.processInfo.environment["LIGHTBOX_TEST_EVM_PYTHON"], !python.isEmpty else {
            Issue.record("LIGHTBOX_TEST_EVM_PYTHON is not set: run the suite with ops/test")
            throw CancellationError()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = try TestDatabases.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", root.appendingPathComponent("contracts/devchain.py").path, "--port", "0",
                             "--block-time", "\(blockTime)", "--key-file", directory.appendingPathComponent("dev.key").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        struct Ready: Decodable { let url: String; let key_file: String }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the development chain did not start: \(String(decoding: line, as: UTF8.self))"])
        }
        url = ready.url
        let keyText = try String(contentsOfFile: ready.key_file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        developmentKey = try Secp256k1.PrivateKey(bytes: [UInt8](hexString: keyText)!)
        self.process = process
    }

    /// Calls a development-only method (`evm_mine`, `evm_snapshot`, `evm_revert`, `evm_increaseTime`).
    @discardableResult
    public func development(_ method: String, _ params: [RPCJSON] = []) async throws -> RPCJSON {
        try await TestChain.rpc(url).client.call(method, params)
    }

    deinit {
        process.terminate()
    }
}
