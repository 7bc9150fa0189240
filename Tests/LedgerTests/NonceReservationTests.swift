import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// The relaying account's nonces, reserved in the database by several processes at once.
@Suite("Relayer nonce reservations")
struct NonceReservationTests {
    static func open(_ location: DatabaseLocation) async throws -> any Database {
        let database = try await DatabaseOpener.open(location, logger: TestDatabases.logger)
        _ = try await Migrator(migrations: EVMLedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
        return database
    }

    @Test("three processes reserving at once never share a nonce and leave no gap", arguments: Backend.allCases)
    func concurrent(backend: Backend) async throws {
        let location = try await TestDatabases.freshLocation(backend)
        var databases = [any Database]()
        for _ in 0..<3 { databases.append(try await Self.open(location)) }
        let account = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        let books = databases.map { DatabaseNonceReservations(database: $0, logger: TestDatabases.logger) }
        do {
            let nonces = try await withThrowingTaskGroup(of: UInt64.self) { group in
                for n in 0..<9 { group.addTask { try await books[n % 3].reserve(account: account, chainID: 31337, atLeast: 4) } }
                return try await group.reduce(into: [UInt64]()) { $0.append($1) }
            }
            #expect(nonces.sorted() == Array(4..<13))
            // Another chain, another account: their own sequences.
            #expect(try await books[0].reserve(account: account, chainID: 1, atLeast: 0) == 0)
        } catch {
            for database in databases { await database.close() }
            throw error
        }
        for database in databases { await database.close() }
    }

    @Test("a released nonce is taken again first; one the chain has used meanwhile is not", arguments: Backend.allCases)
    func released(backend: Backend) async throws {
        let database = try await Self.open(try await TestDatabases.freshLocation(backend))
        let book = DatabaseNonceReservations(database: database, logger: TestDatabases.logger)
        let account = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        for expected in UInt64(0)..<4 { #expect(try await book.reserve(account: account, chainID: 7, atLeast: 0) == expected) }
        try await book.release(account: account, chainID: 7, nonce: 1)
        try await book.release(account: account, chainID: 7, nonce: 2)
        #expect(try await book.reserve(account: account, chainID: 7, atLeast: 0) == 1)
        // The chain says 3 transactions were sent: nonce 2, released, was used by someone else meanwhile.
        #expect(try await book.reserve(account: account, chainID: 7, atLeast: 3) == 4)
        // A chain far ahead of the book (the account was used elsewhere): the book follows it.
        #expect(try await book.reserve(account: account, chainID: 7, atLeast: 100) == 100)
        await database.close()
    }
}
