import JobQueue
import Ledger
import Marketplace
import Node
import Persistence
import Storage
import Vision

/// Every module's migrations, in the order they are applied.
enum AllMigrations {
    static let list: [Migration] = NodeMigrations.all + JobQueueMigrations.all + StorageMigrations.all + LedgerMigrations.all
        + EVMLedgerMigrations.all + MarketplaceMigrations.all
}
