public import LightboxCrypto
public import Logging
public import Persistence

/// Nonce reservations in the node's database, shared by every process relaying from the same account: each
/// reservation runs in a transaction holding the account's lock, so two processes never take the same nonce, and a
/// nonce given back is the next one taken, so no gap is left.
public struct DatabaseNonceReservations: NonceReservations {
    let database: any Database
    let logger: Logger

    public init(database: any Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func reserve(account: EthereumAddress, chainID: UInt64, atLeast chainNonce: UInt64) async throws -> UInt64 {
        let key = account.lowercaseHex
        let chain = Int64(chainID), floor = Int64(chainNonce)
        return try await database.withTransaction(logger: logger) { connection in
            try await connection.lock("evm_nonces:\(chain):\(key)")
            // Nonces the chain has used meanwhile are gone for good; old reservations are only kept for the maximum.
            try await connection.execute(
                "DELETE FROM evm_nonces WHERE chain_id = \(chain) AND account = \(key) AND state = 'released' AND nonce < \(floor)")
            try await connection.execute(
                "DELETE FROM evm_nonces WHERE chain_id = \(chain) AND account = \(key) AND nonce < \(floor - 256)")
            let released = try await connection.query(
                "SELECT MIN(nonce) AS nonce FROM evm_nonces WHERE chain_id = \(chain) AND account = \(key) AND state = 'released'")
            if let nonce = try released.first?.decode("nonce", as: Int64?.self) {
                try await connection.execute(
                    "UPDATE evm_nonces SET state = 'reserved' WHERE chain_id = \(chain) AND account = \(key) AND nonce = \(nonce)")
                return UInt64(nonce)
            }
            let highest = try await connection.query(
                "SELECT MAX(nonce) AS nonce FROM evm_nonces WHERE chain_id = \(chain) AND account = \(key)")
            let next = max((try highest.first?.decode("nonce", as: Int64?.self)).map { $0 + 1 } ?? 0, floor)
            try await connection.execute(
                "INSERT INTO evm_nonces (chain_id, account, nonce, state) VALUES (\(chain), \(key), \(next), 'reserved')")
            return UInt64(next)
        }
    }

    public func release(account: EthereumAddress, chainID: UInt64, nonce: UInt64) async throws {
        try await database.execute(
            """
            UPDATE evm_nonces SET state = 'released'
            WHERE chain_id = \(Int64(chainID)) AND account = \(account.lowercaseHex) AND nonce = \(Int64(nonce))
            """,
            logger: logger)
    }
}
