public import Logging
import PostgresNIO

extension PostgresDatabase {
    public func notify(_ channel: String, payload: String, on connection: any DatabaseConnection) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Listens on a dedicated connection (outside the pool, so that it never holds a pooled connection),
    /// reconnecting with a short back-off when the server goes away.
    public func notifications(_ channel: String, logger: Logger) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let configuration = connectionConfiguration
        let task = Task {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                    do {
                        try await connection.listen(on: channel) { notifications in
                            // LISTEN is active from here on; anything sent before it was missed, so say so.
                            continuation.yield("")
                            for try await notification in notifications { continuation.yield(notification.payload) }
                        }
                    } catch {
                        logger.debug("listen ended", metadata: ["channel": "\(channel)", "error": "\(error)"])
                    }
                    try? await connection.close()
                } catch {
                    logger.debug("listen connection failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
