public import Hummingbird
public import NIOCore

/// The context of every request Lightbox serves: Hummingbird's core storage, and the address of the client that
/// sent it, which the rate limits count by.
public struct LightboxRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection the request came on; nil where there is none (a router tested without sockets).
    public let remoteAddress: SocketAddress?
    /// The rate limits in force, once the rate-limit middleware has seen the request.
    var rateLimits: RateLimits?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address as the rate limits name it: its IP address, or "local" where there is none.
    public var clientAddress: String { remoteAddress?.ipAddress ?? "local" }
}
