import HTTPTypes
import Persistence
import Testing

@testable import Server

/// What a client is told when something behind a route fails.
@Suite("Error responses")
struct ErrorMappingTests {
    @Test("a database that is busy or out of reach answers 503 with Retry-After and no internals; other failures stay 500")
    func databaseTrouble() async throws {
        for code in [DatabaseError.Code.busy, .connectionLost, .unreachable] {
            let error = await #expect(throws: ErrorResponse.self) {
                try await ErrorResponseMiddleware.mapped { throw DatabaseError(code, "PostgreSQL did not answer within 10.0 seconds") }
            }
            #expect(error?.status == .serviceUnavailable && error?.code == "unavailable", "\(code)")
            #expect(error?.headers[.retryAfter] == "2", "\(code)")
            #expect(error?.message.contains("try the request again") == true && error?.message.contains("PostgreSQL") == false, "\(code)")
            #expect(error?.cause?.contains("PostgreSQL did not answer") == true, "\(code): the cause is kept for the log")
        }
        let other = await #expect(throws: ErrorResponse.self) {
            try await ErrorResponseMiddleware.mapped { throw DatabaseError(.queryFailed, "syntax error") }
        }
        #expect(other?.status == .internalServerError && other?.message.contains("syntax") == false)
    }
}
