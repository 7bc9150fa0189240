import NIOCore
import NIOPosix
import PostgresNIO

extension PostgresDatabase {
    /// Translates PostgresNIO and NIO errors into ``DatabaseError`` with a message that says what to fix.
    static func map(_ error: any Error, settings: DatabaseLocation.PostgresSettings) -> any Error {
        let server = "\(settings.host):\(settings.port)"
        if error is IOError || error is NIOConnectionError || error is ChannelError {
            return DatabaseError(
                .unreachable, "cannot reach PostgreSQL at \(server): \(describe(error)); check the host and port in the database URL"
            )
        }
        // Anything else (the caller's own errors, cancellation, DatabaseError) passes through unchanged.
        guard let psql = error as? PSQLError else { return error }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            let message = psql.serverInfo?[.message] ?? "error \(state)"
            switch state {
            case "28P01", "28000":
                return DatabaseError(
                    .authenticationFailed,
                    "PostgreSQL at \(server) refused user \"\(settings.username)\": \(message); check the user name and password in the database URL"
                )
            case "3D000":
                return DatabaseError(
                    .databaseMissing,
                    "PostgreSQL at \(server) has no database \"\(settings.database)\"; create it (createdb \(settings.database)) or fix the database URL"
                )
            case "23505":
                return DatabaseError(.uniqueViolation, message)
            case "23503", "23502", "23514":
                return DatabaseError(.constraintViolation, message)
            case "57P01", "57P02", "57P03":
                return DatabaseError(.connectionLost, "PostgreSQL at \(server) is shutting down or restarting: \(message)")
            default:
                return DatabaseError(.queryFailed, "\(message) (SQLSTATE \(state))")
            }
        case .connectionError:
            return DatabaseError(
                .unreachable,
                "cannot reach PostgreSQL at \(server): \(describe(psql.underlying ?? psql)); check that the server runs and the host and port are right"
            )
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return DatabaseError(.connectionLost, "the connection to PostgreSQL at \(server) was lost; the statement may be retried")
        case .sslUnsupported:
            return DatabaseError(.unreachable, "PostgreSQL at \(server) does not support TLS; use sslmode=prefer or sslmode=disable")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return DatabaseError(
                .authenticationFailed,
                "PostgreSQL at \(server) refused user \"\(settings.username)\": \(psql.code); check the password in the database URL"
            )
        default:
            return DatabaseError(.queryFailed, "PostgreSQL at \(server): \(psql.code)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return io.description }
        if let connect = error as? NIOConnectionError {
            return connect.connectionErrors.first.map { "\($0.error)" } ?? "no address to connect to"
        }
        return "\(error)"
    }
}
