public import Foundation
public import Logging
public import Persistence
public import ServiceLifecycle

/// Records that this process is alive: a row in `node_processes`, a heartbeat every interval, and the time it
/// stopped when it shuts down gracefully. Operators see which `serve` and `worker` processes share a database.
public struct PresenceService: Service {
    /// This process's id in `node_processes`.
    public let processID: String
    private let role: String
    private let database: any Database
    private let interval: Duration
    private let logger: Logger

    public init(role: String, database: any Database, interval: Duration = .seconds(10), logger: Logger) {
        self.processID = UUID().uuidString.lowercased()
        self.role = role
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let now = Date()
        try await database.execute(
            """
            INSERT INTO node_processes (id, role, host, pid, version, started_at, heartbeat_at)
            VALUES (\(processID), \(role), \(ProcessInfo.processInfo.hostName), \(Int(getpid())), \(LightboxVersion.current), \(now), \(now))
            """,
            logger: logger
        )
        logger.info("process registered", metadata: ["process.id": "\(processID)", "process.role": "\(role)"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            do {
                try await database.execute(
                    "UPDATE node_processes SET heartbeat_at = \(Date()) WHERE id = \(processID)", logger: logger
                )
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
        try await database.execute(
            "UPDATE node_processes SET stopped_at = \(Date()) WHERE id = \(processID)", logger: logger
        )
        logger.info("process stopped", metadata: ["process.id": "\(processID)"])
    }

    /// A process row as stored.
    public struct Record: Sendable {
        public let id: String
        public let role: String
        public let host: String
        public let pid: Int
        public let version: String
        public let startedAt: Date
        public let heartbeatAt: Date
        public let stoppedAt: Date?
    }

    /// Processes that have not stopped and whose last heartbeat is recent.
    public static func live(in database: any Database, within staleness: Duration = .seconds(30), logger: Logger)
        async throws -> [Record]
    {
        let cutoff = Date().addingTimeInterval(-Double(staleness.components.seconds))
        let rows = try await database.query(
            "SELECT * FROM node_processes WHERE stopped_at IS NULL AND heartbeat_at >= \(cutoff) ORDER BY started_at",
            logger: logger
        )
        return try rows.map { row in
            Record(
                id: try row.decode("id"), role: try row.decode("role"), host: try row.decode("host"),
                pid: try row.decode("pid"), version: try row.decode("version"), startedAt: try row.decode("started_at"),
                heartbeatAt: try row.decode("heartbeat_at"), stoppedAt: try row.decode("stopped_at")
            )
        }
    }
}
