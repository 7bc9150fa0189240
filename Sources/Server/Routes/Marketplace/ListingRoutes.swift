import ContentAddressing
import Foundation
import Hummingbird
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOCore
import Node
import Storage

/// Discovery, open to everyone: `GET /v1/listings` searches (text, task, labels, image count, QA score, price,
/// licence flags; newest first with a cursor) and `GET /v1/listings/{id}` shows a listing's card with its
/// provenance: the ledger's record, the signed QA attestation, and every ledger event of the listing with an
/// inclusion proof against the current tree.
struct ListingRoutes {
    let market: Marketplace

    func register(on router: Router<LightboxRequestContext>) {
        router.get("v1/listings") { request, context in
            let query = try Self.query(request.uri.queryParameters)
            // The cards go out as they are stored: a search decodes and encodes nothing.
            let found = try await market.listings.searchJSON(query, logger: context.logger)
            let next = found.count == query.limit ? found.last.map { JSONText.quote(String($0.listingID)) } ?? "null" : "null"
            return MarketplaceHTTP.rawObject(["items": "[" + found.map(\.card).joined(separator: ",") + "]", "next_cursor": next])
        }
        router.get("v1/listings/:id/previews/:index") { _, context in
            let id = try Self.listingID(context)
            let text = context.parameters.get("index") ?? ""
            guard let card = try await market.listings.card(id, logger: context.logger) else {
                throw MarketplaceHTTP.notFound("there is no listing \(id)")
            }
            let previews = card.previews ?? []
            guard let index = Int(text), previews.indices.contains(index), let cid = try? CID(previews[index]) else {
                throw MarketplaceHTTP.notFound("listing \(id) has \(previews.count) previews, numbered from 0")
            }
            let bytes: [UInt8]
            do {
                bytes = try await market.storedFile(cid)
            } catch let error as StorageError where error.code == .notFound {
                throw ErrorResponse(
                    status: .serviceUnavailable, code: "preview_unavailable",
                    message: "preview \(index) of listing \(id) is kept by another process of this node, which did not send it "
                        + "(\(error.message)); try again later")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "public, max-age=31536000, immutable"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("v1/listings/:id/card") { _, context in
            let id = try Self.listingID(context)
            guard let card = try await market.listings.card(id, logger: context.logger) else {
                throw MarketplaceHTTP.notFound("there is no listing \(id)")
            }
            return try MarketplaceHTTP.json(ListingCardResponse(listing: card, licence: LicenceWords(card.terms)))
        }
        router.get("v1/listings/:id") { _, context in
            let id = try Self.listingID(context)
            guard let card = try await market.listings.card(id, logger: context.logger),
                  let provenance = try await market.provenance(ofListing: id)
            else {
                throw MarketplaceHTTP.notFound("there is no listing \(id)")
            }
            // The QA summary is left out, not an error, while the node cannot read the report (another process
            // of it keeps the report and does not answer); the report's CID is in the provenance.
            let quality = try? await market.quality(ofReport: card.reportCID)
            return try MarketplaceHTTP.json(
                ListingResponse(listing: card, provenance: provenance, quality: quality, licence: LicenceWords(card.terms)))
        }
    }

    static func listingID(_ context: LightboxRequestContext) throws -> UInt64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = UInt64(text) else { throw MarketplaceHTTP.badRequest("a listing id is a whole number, not \"\(text.prefix(40))\"") }
        return id
    }

    /// The search's filters from a query string. A web form sends its empty fields as `name=`, so the page
    /// reads an empty value as "any" (`emptyMeansAny`); the JSON API refuses an empty number or flag.
    static func query(_ parameters: Hummingbird.Parameters, emptyMeansAny: Bool = false) throws -> ListingQuery {
        var query = ListingQuery()
        func text(_ name: String) -> String? { parameters[Substring(name)].map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        func typed(_ name: String, _ expected: String) throws -> String? {
            guard let value = parameters[Substring(name)].map({ String($0) }) else { return nil }
            if !value.isEmpty { return value }
            if emptyMeansAny { return nil }
            throw MarketplaceHTTP.badRequest("\(name) is empty: give \(expected), or leave it out")
        }
        func whole(_ name: String) throws -> Int? {
            guard let value = try typed(name, "a whole number") else { return nil }
            guard let number = Int(value), number >= 0 else { throw MarketplaceHTTP.badRequest("\(name) must be a whole number, not \"\(value.prefix(40))\"") }
            return number
        }
        func flag(_ name: String) throws -> Bool? {
            guard let value = try typed(name, "true or false") else { return nil }
            guard value == "true" || value == "false" else { throw MarketplaceHTTP.badRequest("\(name) must be true or false") }
            return value == "true"
        }
        query.text = text("q")
        query.task = text("task")
        query.labels = parameters.getAll("label").map { String($0) }.filter { !$0.isEmpty }
        query.minimumImages = try whole("min_images")
        query.minimumScore = try whole("min_score")
        if let price = try typed("max_price", "a number of tokens") {
            guard let value = Double(price), value >= 0 else { throw MarketplaceHTTP.badRequest("max_price must be a number of tokens") }
            query.maximumPrice = value
        }
        query.owner = text("owner")
        query.commercialUse = try flag("commercial_use")
        query.aiTraining = try flag("ai_training")
        query.derivatives = try flag("derivatives")
        query.redistribution = try flag("redistribution")
        query.before = try whole("cursor").map(UInt64.init)
        query.limit = try PublicationRoutes.limit(typed("limit", "a whole number"))
        return query
    }
}
