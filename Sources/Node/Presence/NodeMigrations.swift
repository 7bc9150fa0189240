public import Persistence

/// The node module's tables.
public enum NodeMigrations {
    /// Every `node/…` migration, in order.
    public static let all: [Migration] = [
        Migration(module: "node", version: 1, name: "create node_processes") { _ in
            [
                """
                CREATE TABLE node_processes (
                    id TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid BIGINT NOT NULL,
                    version TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    heartbeat_at BIGINT NOT NULL,
                    stopped_at BIGINT
                )
                """,
                "CREATE INDEX node_processes_heartbeat ON node_processes (heartbeat_at)",
            ]
        }
    ]
}
