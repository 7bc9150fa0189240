public import JobQueue
public import Logging
public import Marketplace
public import Persistence
public import Prometheus
public import Storage

/// What the HTTP layer needs from the running node.
public struct ServerDependencies: Sendable {
    /// The node's database, checked by `/readyz`.
    public let database: any Database
    /// The migrations this build expects, checked by `/readyz`.
    public let migrator: Migrator
    /// Where every metric is registered; `/metrics` renders it.
    public let metrics: PrometheusCollectorRegistry
    /// The request log.
    public let logger: Logger
    /// The bearer token of the `/admin` API; `nil` turns it off.
    public let adminToken: String?
    /// The trustless IPFS gateway over the node's blockstore; `nil` leaves `/ipfs/` unrouted.
    public let gateway: TrustlessGateway?
    /// The marketplace's services; `nil` makes `/v1/` answer 503 with ``marketplaceOff`` (or a generic reason).
    public let marketplace: Marketplace?
    /// Why the marketplace is off on this node, when it should be on: `/v1/` answers 503 with it, `/readyz` is not
    /// ready.
    public let marketplaceOff: String?

    /// The request-rate limits on the write routes.
    public let rateLimits: RateLimits
    /// How long a client may take to send a request head, and how long a connection may sit idle.
    public let timeouts: HTTPTimeouts

    /// The job queue, for the admin API.
    public var jobs: JobQueue { JobQueue(database: database, logger: logger) }

    public init(
        database: any Database, migrator: Migrator, metrics: PrometheusCollectorRegistry, logger: Logger,
        adminToken: String? = nil, gateway: TrustlessGateway? = nil, marketplace: Marketplace? = nil, marketplaceOff: String? = nil,
        rateLimits: RateLimits = RateLimits(client: RateLimits.defaultClient, account: RateLimits.defaultAccount),
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.rateLimits = rateLimits
        self.timeouts = timeouts
        self.marketplace = marketplace
        self.marketplaceOff = marketplace == nil ? marketplaceOff : nil
        self.gateway = gateway
        self.database = database
        self.migrator = migrator
        self.metrics = metrics
        self.logger = logger
        self.adminToken = adminToken
    }
}
