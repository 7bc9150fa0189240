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
        try Secp256k1.PrivateKey(hexFile: try environment("LIGHTBOX_TEST_EVM_KEY_FILE"))
    }

    /// A sender for `key` on the chain at `url`.
    public static func sender(_ key: Secp256k1.PrivateKey, url: String, confirmations: UInt64 = 1,
                              nonces: any NonceReservations = TestChain.nonces) async throws -> TransactionSender {
        let rpc = rpc(url)
        return TransactionSender(rpc: rpc, chainID: try await rpc.chainID(), key: key, nonces: nonces,
                                 confirmations: confirmations, timing: quickTiming, logger: logger)
    }

    /// A new random key holding `amount` wei on the shared chain, or on `chain` (funded from its own development
    /// key and nonce book: every development chain's funded key is the same account).
    public static func fundedKey(_ amount: UInt128 = 10 * ether, url: String? = nil, on chain: PrivateTestChain? = nil) async throws
        -> Secp256k1.PrivateKey
    {
        let url = try chain?.url ?? url ?? sharedURL()
        let key = Secp256k1.PrivateKey.random()
        let funder = if let chain {
            try await sender(chain.developmentKey, url: url, nonces: chain.nonces)
        } else {
            try await sender(try developmentKey(), url: url)
        }
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
    private let chain: DevelopmentChain
    public var url: String { chain.url }
    public var developmentKey: Secp256k1.PrivateKey { chain.developmentKey }
    /// The development key's nonces on this chain.
    public let nonces = InMemoryNonceReservations()

    /// Starts a chain; `blockTime` 0 mines each transaction at once, more leaves them pending between blocks.
    public init(blockTime: Double = 0) throws {
        guard let python = ProcessInfo.processInfo.environment["LIGHTBOX_TEST_EVM_PYTHON"], !python.isEmpty else {
            Issue.record("LIGHTBOX_TEST_EVM_PYTHON is not set: run the suite with ops/test")
            throw CancellationError()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        chain = try DevelopmentChain(python: python, script: root.appendingPathComponent("contracts/devchain.py").path, blockTime: blockTime)
    }

    /// Calls a development-only method (`evm_mine`, `evm_snapshot`, `evm_revert`, `evm_increaseTime`).
    @discardableResult
    public func development(_ method: String, _ params: [RPCJSON] = []) async throws -> RPCJSON {
        try await TestChain.rpc(url).client.call(method, params)
    }
}

