public import AsyncHTTPClient
import Foundation
public import Ledger
public import Logging
public import Node
public import Persistence
public import Storage
public import Vision

/// The marketplace's services over one node: its database, ledger, keys, blockstore and storage network. Job
/// handlers and HTTP routes share one value of it.
public struct Marketplace: Sendable {
    public let database: any Database
    public let ledger: any LedgerBackend
    public let identity: NodeIdentity
    public let blocks: FileBlockStore
    /// Fetches what `blocks` lacks from the node's other processes (the configured gateways); nil without gateways.
    public let fill: PeerBlockFill?
    public let storage: StorageConfiguration
    public let http: HTTPClient
    public let uploads: UploadStore
    public let publications: PublicationStore
    public let listings: ListingIndex
    /// Listings' QA reports in short, read once per report.
    let qualitySummaries = ImmutableCache<String, QualitySummary>(capacity: 4096)
    /// Datasets' content keys as stored (wrapped under the node's master key), read once: every delivery of a
    /// dataset seals the same key.
    let wrappedContentKeys = ImmutableCache<String, [UInt8]>(capacity: 4096)
    /// Log entries and inclusion proofs, read once: what listing pages show again and again.
    let provenanceParts = ProvenanceParts()
    /// The ledger's purchases, as the reactions last projected them.
    public let purchases: PurchaseProjection
    public let sessions: SessionStore
    /// The node's own ledger account, for deliveries and releases.
    public let node: NodeAccount
    /// The work the ledger's events cause.
    public let reactions: LedgerReactions
    /// How much memory the quality check's decoding may hold at once.
    public let decoding: DecodingBudget
    /// Uploaded images analysed as they arrive, for the check to take.
    public let arrivals: ImageArrivals
    /// Where each publication's report and contact sheets are kept (`<work>/<publication id>/`).
    public let workDirectory: String
    public let logger: Logger

    /// - Parameters:
    ///   - dataDirectory: The node's data directory; uploads go to `uploads/`, reports to `publications/`.
    ///   - disk: The data directory's identifier (``DataDirectory/diskIdentifier()``); empty when only one directory
    ///     ever serves the database.
    ///   - domain: The host name sign-in messages name (EIP-4361 `domain`).
    ///   - uri: The server's base URL, as sign-in messages name it.
    public init(
        database: any Database, ledger: any LedgerBackend, identity: NodeIdentity, dataDirectory: DataDirectory,
        blocks: FileBlockStore, storage: StorageConfiguration, http: HTTPClient, limits: UploadLimits,
        challengesPerAddress: Int = 5, decoding: DecodingBudget = DecodingBudget(),
        disk: String = "", domain: String, uri: String, logger: Logger
    ) {
        self.database = database
        self.ledger = ledger
        self.identity = identity
        self.blocks = blocks
        fill = PeerBlockFill(store: blocks, gateways: storage.gateways, timeout: storage.gatewayTimeout, http: http, logger: logger)
        self.storage = storage
        self.http = http
        uploads = UploadStore(database: database, root: dataDirectory.file("uploads"), limits: limits, disk: disk)
        publications = PublicationStore(database: database)
        listings = ListingIndex(database: database)
        purchases = PurchaseProjection(database: database)
        var sessions = SessionStore(database: database, domain: domain, uri: uri, chainID: ledger.parameters.chainID)
        sessions.challengesPerAddress = challengesPerAddress
        self.sessions = sessions
        self.decoding = decoding
        arrivals = ImageArrivals(decoding: decoding)
        node = NodeAccount(key: identity.accountKey, ledger: ledger)
        reactions = LedgerReactions(database: database, ledger: ledger, listings: listings, purchases: purchases, node: node, logger: logger)
        workDirectory = dataDirectory.file("publications")
        self.logger = logger
    }

    /// The folder of a publication's report and contact sheets.
    public func workDirectory(of publication: String) -> String { workDirectory + "/" + publication }
}
