import HTTPTypes
import Hummingbird
import NIOCore

/// `/openapi.yaml`: the OpenAPI 3.1 description of this API (schemas/openapi.yaml, compiled in).
struct OpenAPIRoute {
    func register(on router: Router<LightboxRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml))
            )
        }
    }
}
