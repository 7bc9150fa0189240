import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Small helpers for JSON responses.
enum JSONResponse {
    /// A response with a JSON body already serialised.
    static func make(_ status: HTTPResponse.Status, _ json: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// A flat object of strings as JSON, keys sorted.
    static func object(_ members: [String: String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: members, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8), as: UTF8.self)
    }
}
