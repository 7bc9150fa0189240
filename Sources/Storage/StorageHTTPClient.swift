public import AsyncHTTPClient
import NIOCore

/// The HTTP client the storage clients share: connections time out after 10 s, and a response that sends no
/// bytes for `idleTimeout` fails, so a stalled gateway is abandoned however long a transfer may legitimately take.
public enum StorageHTTPClient {
    /// A new client; shut it down with `shutdown()` when done.
    public static func make(idleTimeout: Duration = .seconds(30)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .init(idleTimeout))
        configuration.redirectConfiguration = .follow(max: 3, allowCycles: false)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
