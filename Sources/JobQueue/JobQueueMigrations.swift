public import Persistence

/// The job queue's tables.
public enum JobQueueMigrations {
    /// The states in which a unique key blocks a duplicate. Must match the partial index below, letter for letter,
    /// because SQLite's ON CONFLICT target has to repeat the index's WHERE clause.
    static let uniqueWhere = "unique_key IS NOT NULL AND state IN ('available', 'running', 'completed')"

    /// Every `jobs/…` migration, in order.
    public static let all: [Migration] = [
        Migration(module: "jobs", version: 1, name: "create jobs") { dialect in
            [
                """
                CREATE TABLE jobs (
                    id \(dialect.autoIncrementPrimaryKey),
                    kind TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    state TEXT NOT NULL,
                    priority BIGINT NOT NULL DEFAULT 0,
                    payload \(dialect.blobType) NOT NULL,
                    attempt BIGINT NOT NULL DEFAULT 0,
                    max_attempts BIGINT NOT NULL,
                    run_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    attempted_at BIGINT,
                    finalized_at BIGINT,
                    lease_until BIGINT,
                    worker_id TEXT,
                    unique_key TEXT,
                    errors TEXT NOT NULL DEFAULT '[]',
                    cancel_requested BIGINT NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX jobs_fetch ON jobs (queue, priority, run_at, id) WHERE state = 'available'",
                "CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running'",
                "CREATE INDEX jobs_finalized ON jobs (state, finalized_at)",
                "CREATE UNIQUE INDEX jobs_unique ON jobs (kind, unique_key) WHERE \(uniqueWhere)",
            ]
        },
        Migration(module: "jobs", version: 2, name: "create job_noop_runs") { _ in
            [
                """
                CREATE TABLE job_noop_runs (
                    job_id BIGINT NOT NULL,
                    attempt BIGINT NOT NULL,
                    worker_id TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT NOT NULL,
                    PRIMARY KEY (job_id, attempt)
                )
                """
            ]
        },
    ]
}
