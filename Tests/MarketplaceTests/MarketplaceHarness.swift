import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Logging
import Marketplace
import NIOCore
import NIOHTTP1
import Node
import Persistence
import Prometheus
import Server
import Storage
import Testing
import Vision

/// A whole node for the marketplace's end-to-end tests: a fresh database of the chosen backend, the node's keys,
/// a development ledger, the HTTP server on a loopback port and a worker pool running the marketplace's jobs.
struct MarketplaceHarness {
    let url: String
    let market: Marketplace
    /// On the chain: its JSON-RPC endpoint.
    var chainURL: String? = nil
    let governance: Secp256k1.PrivateKey
    /// The ledger's one registered arbiter.
    let arbiter: Secp256k1.PrivateKey

    static let logger = Logger(label: "lightbox.tests.marketplace")

    /// Which ledger the node runs: its own embedded one, or Lightbox's contracts on the development chain.
    enum LedgerChoice: String, Sendable {
        case embedded, evm
    }

    /// A database backend and a ledger backend to run a journey on.
    struct Setup: Sendable, CustomTestStringConvertible {
        let database: Backend
        let ledger: LedgerChoice
        var testDescription: String { "\(database.rawValue), \(ledger.rawValue) ledger" }

        /// Both databases with the embedded ledger, and the chain with PostgreSQL (the scale-out setup).
        static let all: [Setup] = [.init(database: .sqlite, ledger: .embedded), .init(database: .postgres, ledger: .embedded),
                                   .init(database: .postgres, ledger: .evm)]
    }

    /// - Parameters:
    ///   - acceptancePeriod: Seconds a buyer has to accept or dispute after delivery.
    ///   - limits: The upload and account limits; `rateLimits` and `timeouts` those of the HTTP server.
    /// - Parameter ownChain: On the chain, a development chain of the journey's own rather than the shared one: for
    ///   journeys that move the chain's clock, or that wait for deadlines (the shared chain mines a block per
    ///   transaction of every test at once, which runs its clock ahead of the wall clock).
    static func run(
        _ setup: Setup, deliveryPeriod: UInt64 = 86_400, acceptancePeriod: UInt64 = 3 * 86_400, ownChain: Bool = false,
        limits: UploadLimits = UploadLimits(fileBytes: 4 << 20, uploadBytes: 64 << 20, files: 500),
        _ body: @escaping @Sendable (MarketplaceHarness) async throws -> Void
    ) async throws {
        let chain = setup.ledger == .evm && ownChain ? try PrivateTestChain() : nil
        try await run(setup.database, ledger: setup.ledger, chain: chain, deliveryPeriod: deliveryPeriod, acceptancePeriod: acceptancePeriod,
                      limits: limits, body)
        _ = chain
    }

    static func run(
        _ backend: Backend, ledger choice: LedgerChoice = .embedded, chain privateChain: PrivateTestChain? = nil,
        deliveryPeriod: UInt64 = 86_400, acceptancePeriod: UInt64 = 3 * 86_400,
        limits: UploadLimits = UploadLimits(fileBytes: 4 << 20, uploadBytes: 64 << 20, files: 500),
        rateLimits: RateLimits = RateLimits(client: .init(perSecond: 10_000, burst: 10_000), account: .init(perSecond: 10_000, burst: 10_000)),
        timeouts: HTTPTimeouts = HTTPTimeouts(), challengesPerAddress: Int = 5,
        _ body: @escaping @Sendable (MarketplaceHarness) async throws -> Void
    ) async throws {
        let directory = try TestDatabases.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let location = try await TestDatabases.freshLocation(backend)
        let database = try await DatabaseOpener.open(location, logger: logger)
        let migrations = NodeMigrations.all + JobQueueMigrations.all + StorageMigrations.all + LedgerMigrations.all
            + EVMLedgerMigrations.all + MarketplaceMigrations.all
        let migrator = Migrator(migrations: migrations)
        do {
            _ = try await migrator.migrate(database, logger: logger)
            let (dataDirectory, _) = try DataDirectory.prepare(directory + "/node")
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let chainURL = choice == .evm ? try privateChain?.url ?? TestChain.sharedURL() : nil
            var governanceKey = Secp256k1.PrivateKey.random()
            if let chainURL { governanceKey = try await TestChain.fundedKey(1_000 * TestChain.ether, url: chainURL, on: privateChain) }
            let governance = governanceKey
            let arbiter = Secp256k1.PrivateKey.random()
            var assembly = MarketplaceAssembly(database: database, identity: identity, dataDirectory: dataDirectory)
            assembly.limits = limits
            assembly.challengesPerAddress = challengesPerAddress
            let market: Marketplace
            switch choice {
            case .embedded:
                let parameters = try LedgerParameters(
                    ledgerID: "lightbox-test", governance: EthereumAddress(publicKey: governance.publicKey),
                    deliveryPeriod: deliveryPeriod, acceptancePeriod: acceptancePeriod, devMode: true, arbiters: [EthereumAddress(publicKey: arbiter.publicKey)],
                    qaSigners: [identity.qaSigner])
                market = try await assembly.marketplace(parameters: parameters, logger: logger)
            case .evm:
                let ledger = try await chainLedger(url: chainURL!, database: database, identity: identity, governance: governance, arbiter: arbiter,
                                                   deliveryPeriod: deliveryPeriod, acceptancePeriod: acceptancePeriod)
                market = try await assembly.marketplace(ledger: ledger, logger: logger)
            }
            var configuration = JobWorkerPool.Configuration()
            configuration.queues = MarketplaceAssembly.queues(market, concurrency: 2)
            configuration.pollInterval = .milliseconds(100)
            let pool = JobWorkerPool(
                queue: JobQueue(database: database, logger: logger), registry: MarketplaceAssembly.jobs(market), configuration: configuration, logger: logger)
            let workers = Task { try await pool.run() }
            let dependencies = ServerDependencies(
                database: database, migrator: migrator, metrics: PrometheusCollectorRegistry(), logger: logger,
                gateway: TrustlessGateway(store: market.blocks), marketplace: market, rateLimits: rateLimits, timeouts: timeouts)
            let application = Application(
                router: LightboxServer.router(dependencies), server: LightboxServer.http1(timeouts),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            do {
                try await application.test(.live) { client in
                    try await body(MarketplaceHarness(
                        url: "http://127.0.0.1:\(client.port!)", market: market, chainURL: chainURL, governance: governance, arbiter: arbiter))
                }
            } catch {
                workers.cancel()
                _ = await workers.result
                throw error
            }
            workers.cancel()
            _ = await workers.result
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }

    /// Deploys the contracts from `governance` (the owner) with the node's QA key and `arbiter` registered, makes the
    /// node's account a minter of the development token (its faucet) with ether for gas, and opens the ledger.
    static func chainLedger(url: String, database: any Database, identity: NodeIdentity, governance: Secp256k1.PrivateKey, arbiter: Secp256k1.PrivateKey,
                            deliveryPeriod: UInt64, acceptancePeriod: UInt64) async throws -> EVMLedger {
        let owner = try await TestChain.sender(governance, url: url, nonces: InMemoryNonceReservations())
        var options = ContractDeployer.Options(development: true)
        options.qaSigners = [identity.qaSigner]
        options.arbiters = [EthereumAddress(publicKey: arbiter.publicKey)]
        options.deliveryPeriod = deliveryPeriod
        options.acceptancePeriod = acceptancePeriod
        let node = EthereumAddress(publicKey: identity.accountKey.publicKey)
        options.minters = [node]
        let addresses = try await ContractDeployer(sender: owner).deploy(options)
        _ = try await owner.send(to: node, data: [], value: 100 * TestChain.ether, what: "funding the node's account")
        let chain = MarketplaceAssembly.ChainSettings(rpcURL: url, chainID: 31337, deployment: addresses, confirmations: 1, fees: FeePolicy())
        return try await MarketplaceAssembly.chainLedger(database: database, identity: identity, chain: chain, http: TestChain.http, logger: logger)
    }

    /// Lets `seconds` pass on the ledger's clock: the wall clock for the embedded ledger; on the development chain,
    /// a block mined that many seconds later (a test-only method of the development chain, never of a real node).
    func passTime(_ seconds: UInt64) async throws {
        if let chainURL {
            _ = try await TestChain.rpc(chainURL).client.call("evm_increaseTime", [.quantity(seconds)])
        } else {
            try await Task.sleep(for: .seconds(Int(seconds)))
        }
    }

    var governanceAddress: EthereumAddress { EthereumAddress(publicKey: governance.publicKey) }

    // MARK: HTTP

    struct Reply {
        let status: UInt
        let body: [UInt8]
        var retryAfter: String? = nil
        var headers: HTTPHeaders = [:]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, json: Any? = nil, bytes: [UInt8]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let bytes {
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        var body = [UInt8]()
        for try await buffer in response.body { body += buffer.readableBytesView }
        return Reply(status: response.status.code, body: body, retryAfter: response.headers.first(name: "Retry-After"), headers: response.headers)
    }

    /// Signs in with `key`: challenge, personal_sign, token.
    func signIn(_ key: Secp256k1.PrivateKey) async throws -> String {
        let address = EthereumAddress(publicKey: key.publicKey).description
        let challenge = try await call(.POST, "/v1/auth/challenge", json: ["address": address])
        let message = try #require(challenge.json["message"] as? String)
        let signature = try SignInMessage.sign(message, with: key)
        let token = try await call(.POST, "/v1/auth/token", json: ["message": message, "signature": "0x" + signature.hexString])
        return try #require(token.json["token"] as? String)
    }

    /// Uploads every regular file under `root`; returns the upload id.
    func upload(_ root: String, token: String) async throws -> String {
        let created = try await call(.POST, "/v1/uploads", token: token)
        let id = try #require((created.json["upload"] as? [String: Any])?["id"] as? String)
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.sorted()
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
            let put = try await call(.PUT, "/v1/uploads/\(id)/files/\(file)", token: token, bytes: bytes)
            #expect(put.status == 201, "\(file): \(String(decoding: put.body, as: UTF8.self))")
        }
        return id
    }

    /// Polls a publication until it reaches one of `states` (or two minutes pass).
    func waitForPublication(_ id: String, token: String, states: Set<String>) async throws -> Reply {
        for _ in 0..<1200 {
            let reply = try await call(.GET, "/v1/publications/\(id)", token: token)
            if let state = (reply.json["publication"] as? [String: Any])?["state"] as? String, states.contains(state) { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("publication \(id) never reached \(states)")
        return try await call(.GET, "/v1/publications/\(id)", token: token)
    }
}
