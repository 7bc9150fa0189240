import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the web pages from the templates compiled into the server, and answers with the headers every page
/// carries: HTML, and a content security policy that lets a page load only what this node serves.
enum PageRenderer {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let templates: [(String, [UInt8])] = [
            ("head", PackageResources.head_mustache), ("foot", PackageResources.foot_mustache),
            ("error", PackageResources.error_mustache), ("search", PackageResources.search_mustache),
            ("listing", PackageResources.listing_mustache), ("ledger", PackageResources.ledger_mustache),
        ]
        for (name, bytes) in templates {
            // The templates are part of the build; one that does not parse is a programming error.
            try! library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        return library
    }()

    /// Scripts, styles and images from this node only; no inline script; the page cannot be framed.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func html(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let text = library.render(model, withTemplate: template) ?? ""
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An error page: what went wrong in words, with the status an API client would get.
    static func error(status: HTTPResponse.Status, heading: String, message: String) -> Response {
        html("error", ErrorPage(title: heading, heading: heading, message: message), status: status)
    }

    struct ErrorPage {
        let title: String
        let heading: String
        let message: String
    }
}
