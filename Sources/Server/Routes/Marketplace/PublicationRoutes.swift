import Foundation
import Hummingbird
import JobQueue
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOCore

/// Publishing: `POST /v1/publications` turns an upload into a publication (its quality check starts at once);
/// `GET /v1/publications[/{id}]` shows each step with its times and errors, and — once the dataset is stored —
/// the Mint intent for the owner to sign (and, the first time, the approval of the node as the owner's operator,
/// to POST to `/v1/intents` before the Mint); `POST /v1/publications/{id}/mint` takes the signed intent;
/// `GET /v1/publications/{id}/report` and `/overlays/{name}` give the report and the contact sheets. Only the
/// owner sees a publication before it is listed.
struct PublicationRoutes {
    let market: Marketplace

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/publications") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let body = try await MarketplaceHTTP.body(request, as: CreatePublicationRequest.self)
            let publication = try await MarketplaceHTTP.mapping {
                let terms: LicenceTerms
                if let given = body.terms {
                    terms = given
                } else {
                    terms = try LicenceTerms.template(body.licence ?? "research")
                }
                let metadata = ListingMetadata(
                    title: body.title, description: body.description ?? "", task: body.task, price: body.price,
                    royaltyBps: body.royaltyBps ?? 0, terms: terms)
                try metadata.validate()
                let upload = try await market.uploads.openUpload(body.uploadID, owner: account, logger: context.logger)
                return try await market.publications.create(
                    upload: upload, metadata: metadata, uploads: market.uploads, logger: context.logger)
            }
            return try await respond(publication, status: .accepted)
        }
        router.get("v1/publications") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let query = request.uri.queryParameters
            let limit = try Self.limit(query["limit"].map(String.init))
            let items = try await market.publications.publications(
                of: account, before: query["cursor"].map(String.init), limit: limit, logger: context.logger)
            return try MarketplaceHTTP.json(Page(items: items, nextCursor: items.count == limit ? items.last?.id : nil))
        }
        router.get("v1/publications/:id") { request, context in
            try await respond(try await owned(request, context), status: .ok)
        }
        router.get("v1/publications/:id/report") { request, context in
            let publication = try await owned(request, context)
            guard let bytes = FileManager.default.contents(atPath: market.workDirectory(of: publication.id) + "/report.json") else {
                throw MarketplaceHTTP.notFound("publication \(publication.id) has no report yet; its check is \(publication.state.rawValue)")
            }
            return JSONResponse.make(.ok, String(decoding: bytes, as: UTF8.self))
        }
        router.get("v1/publications/:id/overlays/:name") { request, context in
            let publication = try await owned(request, context)
            let name = context.parameters.get("name") ?? ""
            guard publication.report?.contactSheets.contains(name) == true,
                  let bytes = FileManager.default.contents(atPath: market.workDirectory(of: publication.id) + "/overlays/" + name)
            else {
                throw MarketplaceHTTP.notFound("publication \(publication.id) has no contact sheet \(name.prefix(60))")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("v1/publications/:id/mint") { request, context in
            let publication = try await owned(request, context)
            let body = try await MarketplaceHTTP.jsonBytes(request)
            let updated = try await MarketplaceHTTP.mapping {
                try await PublicationMinting(market: market).accept(body, for: publication, logger: context.logger)
            }
            return try await respond(updated, status: .accepted)
        }
    }

    private func owned(_ request: Request, _ context: LightboxRequestContext) async throws -> Publication {
        let account = try await MarketplaceHTTP.account(request, market: market, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let publication = try await market.publications.publication(id, logger: context.logger) else {
            throw MarketplaceHTTP.notFound("there is no publication \(id.prefix(40))")
        }
        guard publication.owner == account else { throw MarketplaceHTTP.forbidden("publication \(id) belongs to another account") }
        return publication
    }

    /// The publication, with the unsigned Mint intent while it waits for the owner's signature.
    private func respond(_ publication: Publication, status: HTTPResponse.Status) async throws -> Response {
        var mint: JSONValue?
        var approval: JSONValue?
        if publication.state == .awaitingSignature || publication.state == .failed,
           let intents = try await PublicationMinting(market: market).unsignedIntents(for: publication)
        {
            mint = try JSONValue.parse(intents.mint)
            approval = try intents.operator.map { try JSONValue.parse($0) }
        }
        return try MarketplaceHTTP.json(PublicationResponse(publication: publication, mintIntent: mint, operatorIntent: approval), status: status)
    }

    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 20 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw MarketplaceHTTP.badRequest("limit must be a whole number from 1 to 100")
        }
        return limit
    }
}
