import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import Marketplace
import NIOCore

/// The public web pages: `/` (search), `/listings/{id}` (a listing with its quality, licence and provenance) and
/// `/ledger` (the latest checkpoint and recent events), with the assets they load from `/assets/`. They are
/// rendered on the server and read without JavaScript; the one script checks the provenance in the browser.
struct PageRoutes {
    let market: Marketplace

    func register(on router: Router<LightboxRequestContext>) {
        router.get("/") { request, context in
            try await Self.page(context) {
                let parameters = request.uri.queryParameters
                let query = try ListingRoutes.query(parameters, emptyMeansAny: true)
                let cards = try await market.listings.search(query, logger: context.logger)
                return PageRenderer.html("search", SearchPage(query: query, parameters: parameters, cards: cards))
            }
        }
        router.get("listings/:id") { _, context in
            try await Self.page(context) {
                let id = try ListingRoutes.listingID(context)
                guard let card = try await market.listings.card(id, logger: context.logger),
                      let provenance = try await market.provenance(ofListing: id)
                else {
                    throw MarketplaceHTTP.notFound("there is no listing \(id)")
                }
                let quality: Result<QualitySummary, any Error>
                do {
                    quality = .success(try await market.quality(ofReport: card.reportCID))
                } catch {
                    context.logger.warning("listing page without its QA summary", metadata: ["listing": "\(id)", "error": "\(error)"])
                    quality = .failure(error)
                }
                return PageRenderer.html("listing", ListingPageModel(card: card, provenance: provenance, quality: quality))
            }
        }
        router.get("ledger") { _, context in
            try await Self.page(context) { PageRenderer.html("ledger", try await LedgerPageModel.load(market.ledger)) }
        }
        StaticAssets.register(on: router)
    }

    /// Runs a page's body, answering its errors with an HTML page of the status the API would give.
    static func page(_ context: LightboxRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await ErrorResponseMiddleware.mapped { try await body() }
        } catch let error as ErrorResponse {
            error.log(to: context.logger)
            let heading = switch error.status {
            case .notFound: "Not found"
            case .badRequest: "That search cannot be run"
            case .tooManyRequests: "Too many requests"
            default: error.status.code >= 500 ? "Something went wrong on this node" : "That cannot be shown"
            }
            return PageRenderer.error(status: error.status, heading: heading, message: error.message)
        }
    }
}

/// The pages when the marketplace is off: `/` says so and why, instead of a JSON error.
struct MarketplaceOffPage {
    let reason: String

    func register(on router: Router<LightboxRequestContext>) {
        router.get("/") { _, _ in
            PageRenderer.error(
                status: .serviceUnavailable, heading: "The marketplace is off on this node",
                message: "This node serves storage only: \(reason).")
        }
        StaticAssets.register(on: router)
    }
}
