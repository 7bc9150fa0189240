public import Persistence

/// The storage module's tables.
public enum StorageMigrations {
    public static let all: [Migration] = [
        Migration(module: "storage", version: 1, name: "create storage_content_keys") { dialect in
            [
                """
                CREATE TABLE storage_content_keys (
                    dataset_id TEXT PRIMARY KEY,
                    wrapped_key \(dialect.blobType) NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """
            ]
        }
    ]
}
