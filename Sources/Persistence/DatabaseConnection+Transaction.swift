import Logging

extension DatabaseConnection {
    /// Runs `body` between `begin` and `COMMIT`, rolling back when it throws. Both backends use it.
    func runTransaction<Result: Sendable>(
        begin: SQLQuery, logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await execute(begin)
        do {
            let result = try await body(self)
            try await execute("COMMIT")
            return result
        } catch {
            do { try await execute("ROLLBACK") } catch {
                logger.debug("rollback failed", metadata: ["error": "\(error)"])
            }
            throw error
        }
    }
}
