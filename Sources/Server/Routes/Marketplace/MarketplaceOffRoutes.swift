import Hummingbird

/// Every `/v1/` path while the marketplace is off on this node: 503 with the reason and what to do, never a bare 404.
struct MarketplaceOffRoutes {
    let reason: String

    func register(on router: Router<LightboxRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch, .head] {
            for path in ["v1", "v1/**"] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw ErrorResponse(
                        status: .serviceUnavailable, code: "marketplace_off", message: "the marketplace is off on this node: \(reason)")
                }
            }
        }
    }
}
