import HTTPTypes
import Hummingbird
import NIOCore

/// The pages' stylesheet, script and icon, compiled into the server: a node needs nothing from elsewhere.
enum StaticAssets {
    static let files: [String: (type: String, bytes: [UInt8])] = [
        "site.css": ("text/css; charset=utf-8", PackageResources.site_css),
        "verify.js": ("text/javascript; charset=utf-8", PackageResources.verify_js),
        "icon.svg": ("image/svg+xml", PackageResources.icon_svg),
    ]

    static func register(on router: Router<LightboxRequestContext>) {
        router.get("assets/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let file = files[name] else {
                throw ErrorResponse(status: .notFound, code: "not_found", message: "there is no asset \"\(name.prefix(60))\"")
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: file.type, .cacheControl: "public, max-age=3600",
                    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }
}
