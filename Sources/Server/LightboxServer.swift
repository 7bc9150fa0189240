public import Hummingbird
public import HummingbirdCore
import NIOCore

/// Builds Lightbox's HTTP application: middleware, routes, and the listening address.
public enum LightboxServer {
    /// The router with every route and middleware, for serving and for tests.
    public static func router(_ dependencies: ServerDependencies) -> Router<LightboxRequestContext> {
        let router = Router(context: LightboxRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestObservationMiddleware(registry: dependencies.metrics))
        router.add(middleware: ErrorResponseMiddleware())
        router.add(middleware: RateLimitMiddleware(limits: dependencies.rateLimits))
        HealthRoutes(dependencies: dependencies).register(on: router)
        MetricsRoute(registry: dependencies.metrics).register(on: router)
        OpenAPIRoute().register(on: router)
        AdminJobRoutes(queue: dependencies.jobs, token: dependencies.adminToken).register(on: router)
        if let gateway = dependencies.gateway { GatewayRoutes(gateway: gateway).register(on: router) }
        if let market = dependencies.marketplace {
            AuthRoutes(market: market).register(on: router)
            UploadRoutes(market: market).register(on: router)
            PublicationRoutes(market: market).register(on: router)
            ListingRoutes(market: market).register(on: router)
            PurchaseRoutes(market: market).register(on: router)
            PageRoutes(market: market).register(on: router)
        } else {
            let reason = dependencies.marketplaceOff ?? "this server was started without it"
            MarketplaceOffRoutes(reason: reason).register(on: router)
            MarketplaceOffPage(reason: reason).register(on: router)
        }
        return router
    }

    /// HTTP/1.1 with the connection time-outs: a request head must arrive within `header` seconds, and a
    /// connection that sends and receives nothing for `idle` seconds is closed.
    public static func http1(_ timeouts: HTTPTimeouts) -> HTTPServerBuilder {
        .http1(configuration: .init(
            additionalChannelHandlers: [HeaderTimeoutHandler(timeout: TimeAmount(timeouts.header))],
            idleTimeout: TimeAmount(timeouts.idle)))
    }

    /// The application listening on `host:port`; `onServerRunning` receives the bound port (useful with port 0).
    public static func application(
        _ dependencies: ServerDependencies, host: String, port: Int,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(dependencies),
            server: http1(dependencies.timeouts),
            configuration: .init(address: .hostname(host, port: port), serverName: "Lightbox"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: dependencies.logger
        )
    }
}
