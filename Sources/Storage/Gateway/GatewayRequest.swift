public import ContentAddressing
import Foundation

/// A trustless-gateway request for `/ipfs/{cid}[/{path}]`, parsed and checked.
///
/// The response format comes from `?format=` (which wins) or the `Accept` header; only verifiable formats are
/// served (`application/vnd.ipld.raw` and `application/vnd.ipld.car`): this is a trustless gateway.
public struct GatewayRequest: Sendable, Equatable {
    /// A verifiable response format.
    public enum Format: String, Sendable {
        case raw, car

        /// The media type.
        public var contentType: String {
            switch self {
            case .raw: "application/vnd.ipld.raw"
            case .car: "application/vnd.ipld.car; version=1; order=dfs; dups=n"
            }
        }
    }

    public let root: CID
    /// Path segments after the CID, percent-decoded.
    public let path: [String]
    public let format: Format
    public let scope: DAGScope
    public let range: EntityByteRange?

    /// Parses a request.
    /// - Parameters:
    ///   - segments: The path segments after `/ipfs/` (percent-encoded, as received).
    ///   - query: The query parameters.
    ///   - accept: The `Accept` header, if any.
    /// - Throws: ``StorageError`` `.invalidRequest` (400), or `.notAcceptable` for a format this gateway does not serve.
    public init(segments: [String], query: [String: String], accept: String?) throws(StorageError) {
        guard let first = segments.first, !first.isEmpty else {
            throw StorageError(.invalidRequest, "the path must name a CID: /ipfs/{cid}")
        }
        do {
            root = try CID(first)
            try root.requireSupportedCodec()
        } catch {
            throw StorageError(.invalidRequest, "'\(first.prefix(100))' is not a CID this gateway serves: \(error.message)")
        }
        var path = [String]()
        for segment in segments.dropFirst() where !segment.isEmpty {
            guard let decoded = segment.removingPercentEncoding else {
                throw StorageError(.invalidRequest, "path segment '\(segment.prefix(100))' is not valid percent-encoding")
            }
            path.append(decoded)
        }
        self.path = path
        format = try Self.format(query: query["format"], accept: accept)
        if format == .raw && !path.isEmpty {
            throw StorageError(.invalidRequest, "raw blocks are served only for /ipfs/{cid}, without a path; ask for a CAR")
        }
        if let version = query["car-version"], version != "1" {
            throw StorageError(.invalidRequest, "car-version \(version) is not served; this gateway writes CAR version 1")
        }
        if let text = query["dag-scope"] {
            guard let scope = DAGScope(rawValue: text) else {
                throw StorageError(.invalidRequest, "dag-scope must be block, entity or all, not '\(text.prefix(40))'")
            }
            self.scope = scope
        } else {
            scope = .all
        }
        if let text = query["entity-bytes"] {
            do {
                range = try EntityByteRange(parsing: text)
            } catch {
                throw StorageError(.invalidRequest, error.message)
            }
            guard scope == .entity else {
                throw StorageError(.invalidRequest, "entity-bytes needs dag-scope=entity")
            }
        } else {
            range = nil
        }
    }

    private static func format(query: String?, accept: String?) throws(StorageError) -> Format {
        if let query {
            guard let format = Format(rawValue: query) else {
                throw StorageError(
                    .notAcceptable, "format=\(query.prefix(40)) is not served; this trustless gateway serves format=raw and format=car")
            }
            return format
        }
        let accepted = (accept ?? "").split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        for type in accepted {
            if type == "application/vnd.ipld.raw" { return .raw }
            if type == "application/vnd.ipld.car" { return .car }
        }
        throw StorageError(
            .notAcceptable,
            "this trustless gateway serves only verifiable responses: ask for ?format=raw or ?format=car "
                + "(Accept: application/vnd.ipld.raw or application/vnd.ipld.car)")
    }
}
