public import Hummingbird
import NIOCore

/// Builds Lightbox's HTTP application: middleware, routes, and the listening address.
public enum LightboxServer {
    /// The router with every route and middleware, for serving and for tests.
    public static func router(_ dependencies: ServerDependencies) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestObservationMiddleware(registry: dependencies.metrics))
        router.add(middleware: ErrorResponseMiddleware())
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
        }
        return router
    }

    /// The application listening on `host:port`; `onServerRunning` receives the bound port (useful with port 0).
    public static func application(
        _ dependencies: ServerDependencies, host: String, port: Int,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(dependencies),
            configuration: .init(address: .hostname(host, port: port), serverName: "Lightbox"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: dependencies.logger
        )
    }
}
