import Foundation
public import Logging
public import Persistence

/// Lightbox's effective configuration, resolved from flags, environment, config file and defaults.
///
/// Defaults give the embedded mode: a SQLite file in `./.lightbox`, HTTP on 127.0.0.1:8080, workers in-process.
public struct Settings: Sendable {
    /// Every setting Lightbox reads, in the order `lightbox config` prints them.
    public static let definitions: [SettingDefinition] = [
        .init(key: "data-dir", help: "Directory for the node's keys, SQLite database and blocks.", kind: .text,
              defaultValue: ".lightbox", isSecret: false),
        .init(key: "database.url", help: "PostgreSQL URL (postgres://user:password@host:port/db) for scale-out; "
              + "unset means the SQLite file in the data directory.", kind: .databaseURL, defaultValue: nil, isSecret: false),
        .init(key: "database.max-connections", help: "Size of the PostgreSQL connection pool per process.",
              kind: .integer(1...500), defaultValue: "10", isSecret: false),
        .init(key: "http.host", help: "Address the HTTP server listens on.", kind: .text, defaultValue: "127.0.0.1",
              isSecret: false),
        .init(key: "http.port", help: "Port the HTTP server listens on (0 picks a free one).", kind: .port,
              defaultValue: "8080", isSecret: false),
        .init(key: "http.shutdown-timeout", help: "Seconds in-flight requests get to finish on shutdown.",
              kind: .integer(0...3600), defaultValue: "30", isSecret: false),
        .init(key: "log.level", help: "Least severe log level written.",
              kind: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
              defaultValue: "info", isSecret: false),
        .init(key: "log.format", help: "Log lines as plain text or one JSON object per line.",
              kind: .choice(["plain", "json"]), defaultValue: "plain", isSecret: false),
        .init(key: "workers.in-process", help: "Whether `lightbox serve` also runs the background workers.",
              kind: .boolean, defaultValue: "true", isSecret: false),
        .init(key: "jobs.concurrency", help: "Jobs one process runs at once per queue.", kind: .integer(1...10_000),
              defaultValue: "10", isSecret: false),
        .init(key: "jobs.lease-timeout", help: "Seconds before a job whose worker stopped renewing its lease is rescued.",
              kind: .integer(1...86_400), defaultValue: "30", isSecret: false),
        .init(key: "jobs.poll-interval-ms", help: "Longest idle wait between claims when no wake-up arrives.",
              kind: .integer(10...60_000), defaultValue: "1000", isSecret: false),
        .init(key: "admin.token", help: "Bearer token for the /admin API; unset disables it.", kind: .text,
              defaultValue: nil, isSecret: true),
        .init(key: "storage.gateways", help: "Trustless IPFS gateways to fetch from and to check retrieval through, "
              + "comma-separated, tried in order; every block they send is verified.", kind: .urlList,
              defaultValue: nil, isSecret: false),
        .init(key: "storage.gateway-timeout", help: "Seconds one gateway request may take before the next gateway is tried.",
              kind: .integer(1...3600), defaultValue: "120", isSecret: false),
        .init(key: "storage.kubo.rpc-url", help: "Kubo RPC API (http://127.0.0.1:5001) that CARs are imported into and "
              + "pinned on; never a public node.", kind: .url, defaultValue: nil, isSecret: false),
        .init(key: "storage.kubo.rpc-token", help: "Bearer token for the Kubo RPC API, if it requires one.", kind: .text,
              defaultValue: nil, isSecret: true),
        .init(key: "storage.pinning.endpoints", help: "IPFS Pinning Service API endpoints, comma-separated.",
              kind: .urlList, defaultValue: nil, isSecret: false),
        .init(key: "storage.pinning.tokens", help: "Access tokens of the pinning services, comma-separated, in the "
              + "order of storage.pinning.endpoints.", kind: .text, defaultValue: nil, isSecret: true),
        .init(key: "storage.pinning.origins", help: "Multiaddrs where pinning services can fetch this node's data "
              + "(e.g. /dns4/node.example/tcp/443/https for its gateway), comma-separated.", kind: .text,
              defaultValue: nil, isSecret: false),
        .init(key: "ledger.mode", help: "development: a ledger with a token faucet, created on the first start with a "
              + "governance key of its own; production: no faucet, ledger.governance required, and a development ledger "
              + "refused. Fixed when the ledger is created.", kind: .choice(["development", "production"]),
              defaultValue: "development", isSecret: false),
        .init(key: "ledger.id", help: "The ledger's id: part of every intent's EIP-712 domain and of its checkpoint "
              + "origin lightbox.ledger/<id>; unset, a new ledger gets a unique one. Fixed when the ledger is created.",
              kind: .text, defaultValue: nil, isSecret: false),
        .init(key: "ledger.chain-id", help: "The chain id in every intent's EIP-712 domain.", kind: .integer(1...2_147_483_647),
              defaultValue: "31337", isSecret: false),
        .init(key: "ledger.governance", help: "The account (0x address) that keeps the arbiter registry, the QA keys and "
              + "the platform fee; required in production, else a development ledger makes the key `governance` in the "
              + "keystore. Fixed when the ledger is created.", kind: .text, defaultValue: nil, isSecret: false),
        .init(key: "ledger.backend", help: "embedded: the ledger in this node's database (the default on one machine); "
              + "evm: Lightbox's contracts on an EVM chain (ledger.evm.*), relayed and indexed by this node.",
              kind: .choice(["embedded", "evm"]), defaultValue: "embedded", isSecret: false),
        .init(key: "ledger.evm.rpc-url", help: "The chain's JSON-RPC endpoint (http:// or https://; any standard node or "
              + "provider). Required with ledger.backend=evm.", kind: .url, defaultValue: nil, isSecret: true),
        .init(key: "ledger.evm.chain-id", help: "The chain id the node must report (eth_chainId is checked at start); "
              + "unset, the deployment file's.", kind: .integer(1...4_503_599_627_370_476), defaultValue: nil, isSecret: false),
        .init(key: "ledger.evm.deployment", help: "The deployment file (JSON of the contracts' addresses, as "
              + "`lightbox ledger deploy` and contracts/deploy.py write it); unset, <data-dir>/evm-deployment.json.",
              kind: .text, defaultValue: nil, isSecret: false),
        .init(key: "ledger.evm.confirmations", help: "Blocks on a transaction's block (its own included) before it counts "
              + "and its events are indexed; 1 trusts the newest block.", kind: .integer(1...1_000), defaultValue: "3", isSecret: false),
        .init(key: "ledger.evm.max-fee-gwei", help: "The most the node's account pays per gas, base fee and tip "
              + "(gwei).", kind: .integer(1...1_000_000), defaultValue: "500", isSecret: false),
        .init(key: "ledger.evm.max-priority-fee-gwei", help: "The most it tips per gas (gwei).", kind: .integer(0...1_000_000),
              defaultValue: "5", isSecret: false),
        .init(key: "ledger.anchor.rpc-url", help: "An embedded ledger anchored on a chain: that chain's JSON-RPC endpoint. "
              + "Set with ledger.anchor.contract, the node publishes its latest checkpoint there (`lightbox ledger anchor`).",
              kind: .url, defaultValue: nil, isSecret: true),
        .init(key: "ledger.anchor.contract", help: "The LogAnchor contract's address (`lightbox ledger anchor deploy` prints it).",
              kind: .text, defaultValue: nil, isSecret: false),
        .init(key: "ledger.anchor.every-entries", help: "Anchor once the log has grown by this many entries since the last anchor.",
              kind: .integer(1...100_000_000), defaultValue: "1000", isSecret: false),
        .init(key: "ledger.anchor.every-seconds", help: "Anchor a grown log at least this often (seconds), however little it grew.",
              kind: .integer(10...31_536_000), defaultValue: "3600", isSecret: false),
    ] + limitDefinitions

    /// The resolved value and origin of every setting.
    public let resolved: [ResolvedSetting]

    init(resolved: [ResolvedSetting]) {
        self.resolved = resolved
    }

    /// The canonical value of a setting, if it has one.
    public func value(_ key: String) -> String? {
        resolved.first { $0.definition.key == key }?.value
    }

    // MARK: Typed accessors (values were validated when loaded)

    /// The data directory.
    public var dataDirectory: String { value("data-dir")! }

    /// Where the database is: PostgreSQL when a URL is set, else `lightbox.sqlite` in the data directory.
    public var databaseLocation: DatabaseLocation {
        if let url = value("database.url"), let location = try? DatabaseLocation(url: url) { return location }
        return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("lightbox.sqlite").standardizedFileURL.path)
    }

    /// The PostgreSQL pool size per process.
    public var databaseMaxConnections: Int { Int(value("database.max-connections")!)! }
    /// The HTTP listen address.
    public var httpHost: String { value("http.host")! }
    /// The HTTP port (0 picks a free one).
    public var httpPort: Int { Int(value("http.port")!)! }
    /// How long in-flight requests get on shutdown.
    public var shutdownTimeout: Duration { .seconds(Int(value("http.shutdown-timeout")!)!) }
    /// The least severe level logged.
    public var logLevel: Logger.Level { Logger.Level(rawValue: value("log.level")!)! }
    /// Plain or JSON log lines.
    public var logFormat: LogFormat { LogFormat(rawValue: value("log.format")!)! }
    /// Whether `serve` runs the background workers itself.
    public var workersInProcess: Bool { value("workers.in-process") == "true" }
    /// Jobs run at once per queue and process.
    public var jobConcurrency: Int { Int(value("jobs.concurrency")!)! }
    /// How long a job's lease lasts before it is rescued.
    public var jobLeaseTimeout: Duration { .seconds(Int(value("jobs.lease-timeout")!)!) }
    /// The longest idle wait between claims.
    public var jobPollInterval: Duration { .milliseconds(Int(value("jobs.poll-interval-ms")!)!) }
    /// The admin API's bearer token, if enabled.
    public var adminToken: String? { value("admin.token") }
    /// Gateways to fetch from, in order.
    public var storageGateways: [String] { list("storage.gateways") }
    /// How long one gateway request may take.
    public var storageGatewayTimeout: Duration { .seconds(Int(value("storage.gateway-timeout")!)!) }
    /// The embedded ledger's id.
    public var ledgerID: String? { value("ledger.id") }
    /// The chain id of the ledger's intent domain.
    public var ledgerChainID: UInt64 { UInt64(value("ledger.chain-id")!)! }
    /// The ledger's governance account, as configured (checked where it is used).
    public var ledgerGovernance: String? { value("ledger.governance") }
    /// Whether the node runs a development ledger (`ledger.mode`).
    public var ledgerDevelopment: Bool { value("ledger.mode") != "production" }
    /// Whether the ledger is Lightbox's contracts on an EVM chain (`ledger.backend=evm`).
    public var ledgerOnChain: Bool { value("ledger.backend") == "evm" }
    /// The chain's JSON-RPC endpoint.
    public var evmRPCURL: String? { value("ledger.evm.rpc-url") }
    /// The chain id the endpoint must report, if configured.
    public var evmChainID: UInt64? { value("ledger.evm.chain-id").flatMap { UInt64($0) } }
    /// The deployment file.
    public var evmDeploymentFile: String { value("ledger.evm.deployment") ?? dataDirectory + "/evm-deployment.json" }
    /// Blocks a transaction waits for.
    public var evmConfirmations: UInt64 { UInt64(value("ledger.evm.confirmations")!)! }
    /// Fee caps, in wei.
    public var evmMaxFeePerGas: UInt128 { UInt128(value("ledger.evm.max-fee-gwei")!)! * 1_000_000_000 }
    /// The chain an embedded ledger is anchored on, if one is configured (`ledger.anchor.rpc-url`).
    public var anchorRPCURL: String? { value("ledger.anchor.rpc-url") }
    /// The LogAnchor contract's address as configured.
    public var anchorContract: String? { value("ledger.anchor.contract") }
    public var anchorEveryEntries: UInt64 { UInt64(value("ledger.anchor.every-entries")!)! }
    public var anchorEverySeconds: UInt64 { UInt64(value("ledger.anchor.every-seconds")!)! }
    public var evmMaxPriorityFeePerGas: UInt128 { UInt128(value("ledger.evm.max-priority-fee-gwei")!)! * 1_000_000_000 }

    /// Where a setting's value came from.
    public func source(_ key: String) -> SettingSource? {
        resolved.first { $0.definition.key == key }?.source
    }
    /// The Kubo RPC API, if one is used.
    public var kuboRPCURL: String? { value("storage.kubo.rpc-url") }
    /// The Kubo RPC API's token, if any.
    public var kuboRPCToken: String? { value("storage.kubo.rpc-token") }
    /// Pinning services and their tokens.
    /// - Throws: ``SettingsError`` when the number of tokens does not match the number of endpoints.
    public func pinningServices() throws(SettingsError) -> [(endpoint: String, token: String)] {
        let endpoints = list("storage.pinning.endpoints")
        let tokens = list("storage.pinning.tokens")
        guard endpoints.count == tokens.count else {
            throw SettingsError(
                "storage.pinning.endpoints lists \(endpoints.count) service(s) but storage.pinning.tokens has \(tokens.count) token(s); give one token per endpoint, in the same order")
        }
        return Array(zip(endpoints, tokens))
    }
    /// Where pinning services can fetch this node's data.
    public var pinningOrigins: [String] { list("storage.pinning.origins") }

    private func list(_ key: String) -> [String] {
        (value(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A setting's effective value and where it came from.
public struct ResolvedSetting: Sendable {
    /// The setting.
    public let definition: SettingDefinition
    /// The canonical value, or `nil` when unset.
    public let value: String?
    /// Which layer supplied it.
    public let source: SettingSource

    /// The value as it may be printed: secrets redacted.
    public var displayValue: String? { value.map(definition.display) }
}

/// Where a setting's value came from, highest precedence first.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    case file(String)
    case defaultValue

    public var description: String {
        switch self {
        case .flag(let name): "flag \(name)"
        case .environment(let name): "environment \(name)"
        case .file(let path): "file \(path)"
        case .defaultValue: "default"
        }
    }
}
