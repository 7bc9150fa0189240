public import AsyncHTTPClient
public import JobQueue
public import Ledger
public import Logging
public import Node
public import Persistence
public import Storage
public import Vision

/// Puts a node's marketplace together — its ledger, blockstore and services — the one way `serve`, `worker`, the
/// demo, the benchmarks and the tests all use. It is the one place outside `Ledger` that chooses a ledger backend.
public struct MarketplaceAssembly: Sendable {
    public let database: any Database
    public let identity: NodeIdentity
    public let dataDirectory: DataDirectory
    public var storage = StorageConfiguration()
    public var limits = UploadLimits()
    public var challengesPerAddress = 5
    public var decoding = DecodingBudget()
    /// The host name and base URL sign-in messages name.
    public var domain = "127.0.0.1"
    public var uri = "http://127.0.0.1"
    public var http: HTTPClient = .shared

    public init(database: any Database, identity: NodeIdentity, dataDirectory: DataDirectory) {
        self.database = database
        self.identity = identity
        self.dataDirectory = dataDirectory
    }

    /// The parameters of the ledger `database` holds; nil when it holds none yet.
    public static func existingLedger(in database: any Database, logger: Logger) async throws -> LedgerParameters? {
        do {
            return try await EmbeddedLedger.genesisParameters(of: database, logger: logger)
        } catch let error as LedgerError where error.code == .notInitialised {
            return nil
        }
    }

    /// Opens the node's ledger, creating it with `parameters` when the database holds none. Its checkpoints are
    /// signed with the node's key under the origin of the ledger's genesis entry, whatever the settings say now.
    /// - Throws: ``LedgerError`` `.notInitialised` when there is no ledger and no parameters, or the stored ledger's
    ///   parameters differ from `parameters`.
    public static func ledger(
        database: any Database, identity: NodeIdentity, parameters: LedgerParameters?, logger: Logger
    ) async throws -> any LedgerBackend {
        // With parameters given, a stored ledger must have them (opening checks), so their origin is its origin.
        var ledger = parameters
        if ledger == nil { ledger = try await existingLedger(in: database, logger: logger) }
        let origin = ledger?.origin ?? "lightbox.ledger/unknown"
        let opened = try await EmbeddedLedger.open(
            database: database, parameters: parameters, signer: try SignedNote.Signer(name: origin, key: identity.signingKey), logger: logger)
        try await requireSameKeys(opened)
        return opened
    }

    /// Refuses a data directory whose node keys are not the ones that signed the ledger's checkpoints: every process
    /// of a node shares its keys (copied, or mounted as secrets); one with keys of its own would sign checkpoints
    /// nobody can verify and could not open the content keys the others wrapped.
    private static func requireSameKeys(_ ledger: any LedgerBackend) async throws {
        guard let log = ledger.log, try await log.size() > 0 else { return }
        let head = try await log.head()
        do {
            _ = try SignedNote.open(head, verifiers: [try SignedNote.Verifier(log.verifierKey)])
        } catch {
            throw LedgerError(
                .invalidSignature,
                "this data directory's node keys are not the ones that signed the ledger in this database: every process "
                    + "of a node needs the same keys/ folder; copy it from the data directory that made the ledger")
        }
    }

    /// The marketplace over `ledger`, with the reactions to entries written before (a crash, another process) made.
    public func marketplace(ledger: any LedgerBackend, logger: Logger) async throws -> Marketplace {
        let market = Marketplace(
            database: database, ledger: ledger, identity: identity, dataDirectory: dataDirectory,
            blocks: try FileBlockStore(directory: dataDirectory.file("blocks")), storage: storage, http: http, limits: limits,
            challengesPerAddress: challengesPerAddress, decoding: decoding, disk: try dataDirectory.diskIdentifier(), domain: domain,
            uri: uri, logger: logger)
        try await market.reactions.catchUp()
        return market
    }

    /// Opens the ledger and assembles the marketplace over it.
    public func marketplace(parameters: LedgerParameters?, logger: Logger) async throws -> Marketplace {
        let ledger = try await Self.ledger(database: database, identity: identity, parameters: parameters, logger: logger)
        return try await marketplace(ledger: ledger, logger: logger)
    }

    /// The job queues a process of `market` works, each with `concurrency`: the default queue and the one of jobs that
    /// read its data directory's uploads; with `onlyThisDisk`, the latter alone.
    public static func queues(_ market: Marketplace?, concurrency: Int, onlyThisDisk: Bool = false) -> [String: Int] {
        var queues = onlyThisDisk ? [:] : ["default": concurrency]
        if let disk = market?.uploads.jobQueue { queues[disk] = concurrency }
        return queues
    }

    /// Every job kind: the marketplace's, and the queue's own no-op.
    public static func jobs(_ market: Marketplace?) -> JobRegistry {
        var registry = JobRegistry()
        registry.register(NoopJob())
        if let market { MarketplaceJobs.register(in: &registry, market: market) }
        return registry
    }
}
