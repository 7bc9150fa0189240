import ArgumentParser
import Foundation
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a dataset: upload it, wait for its quality check and storage, sign its listing, and wait until it is active.",
        discussion: """
            Files go up one request each. An interrupted publish resumes with the same arguments and --upload ID: it \
            sends only the files the server does not have or, once the publication has started, follows it to its \
            end. The first publish also approves the server's node as your operator, so it can deliver \
            your dataset's key to buyers while you are away. A dataset that fails its check stops with its report.
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset's directory (images with COCO, YOLO or Pascal VOC annotations).") var dataset: String
    @Option(help: "The listing's title.") var title: String
    @Option(help: "What the listing says about the data.") var description = ""
    @Option(help: "classification, detection, segmentation, keypoints or other.") var task: String
    @Option(help: "The price in tokens, e.g. 25 or 12.5.") var price: String
    @Option(help: "Licence template: commercial, research, CC-BY-4.0, CC0-1.0, CDLA-Permissive-2.0.") var licence = "research"
    @Option(help: "Royalty on resales of the listing, in basis points (at most 5000).") var royaltyBps: UInt64 = 0
    @Option(help: "Resume this upload instead of starting a new one.") var upload: String?
    @Flag(help: "Return once the check has started, without waiting.") var noWait = false

    func run() async throws {
        try await CommandFailure.guarding {
            let market = try await client.signedIn()
            let publication: Publication
            if let upload, let started = try await Self.publication(of: upload, market: market) {
                // The upload is already being published (an earlier run was cut off): follow that publication.
                publication = started
            } else {
                let uploadID = try await DatasetUpload(market: market, root: dataset, quiet: client.json).send(resuming: upload)
                let request = CreatePublicationRequest(
                    uploadID: uploadID, title: title, description: description, task: task, price: price, royaltyBps: royaltyBps,
                    licence: licence, terms: nil)
                publication = try await market.send(.POST, "/v1/publications", json: request, as: PublicationResponse.self).publication
            }
            if !client.json { ClientOutput.note("publication \(publication.id): \(publication.state.rawValue)") }
            if noWait {
                ClientOutput.show(PublicationResponse(publication: publication, mintIntent: nil, operatorIntent: nil), json: client.json) {
                    ["publication \(publication.id) started; follow it by running this command again with --upload \(publication.uploadID), "
                        + "or with `lightbox publications`"]
                }
                return
            }
            let finished = try await PublicationFollower(market: market, id: publication.id, say: client.json ? nil : { ClientOutput.note($0) }).untilListed()
            ClientOutput.show(finished, json: client.json) {
                ["listing \(finished.publication.listingID.map(String.init) ?? "?") is active: \(title) at \(price) tokens"]
            }
        }
    }

    /// The publication that took `upload`, if one has: the account's publications are searched page by page.
    static func publication(of upload: String, market: MarketClient) async throws -> Publication? {
        var cursor: String?
        repeat {
            let page = try await market.get("/v1/publications?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""), as: Page<Publication>.self)
            if let found = page.items.first(where: { $0.uploadID == upload }) { return found }
            cursor = page.nextCursor
        } while cursor != nil
        return nil
    }
}
