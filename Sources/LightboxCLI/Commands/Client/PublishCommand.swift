import ArgumentParser
import Foundation
import NIOHTTP1
import LightboxCrypto

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
            let created: [String: Any]
            if let upload, let started = try await Self.publication(of: upload, market: market) {
                // The upload is already being published (an earlier run was cut off): follow that publication.
                created = ["publication": started]
            } else {
                let uploadID = try await DatasetUpload(market: market, root: dataset, quiet: client.json).send(resuming: upload)
                created = try await market.call(.POST, "/v1/publications", json: [
                    "upload_id": uploadID, "title": title, "description": description, "task": task, "price": price,
                    "licence": licence, "royalty_bps": royaltyBps,
                ])
            }
            guard let publication = created["publication"] as? [String: Any], let id = publication["id"] as? String,
                  let uploadID = publication["upload_id"] as? String
            else {
                throw CommandError("the server did not say which publication it started")
            }
            if !client.json { ClientOutput.note("publication \(id): \(publication["state"] as? String ?? "checking")") }
            if noWait {
                ClientOutput.show(created, json: client.json) { ["publication \(id) started; follow it by running this command again with --upload \(uploadID), or GET /v1/publications/\(id)"] }
                return
            }
            let finished = try await PublicationFollower(market: market, id: id, say: client.json ? nil : { ClientOutput.note($0) }).untilListed()
            let listed = finished["publication"] as? [String: Any] ?? [:]
            ClientOutput.show(finished, json: client.json) {
                ["listing \(ClientOutput.string(listed, "listing_id")) is active: \(title) at \(price) tokens"]
            }
        }
    }

    /// The publication that took `upload`, if one has: the account's publications are searched page by page.
    static func publication(of upload: String, market: MarketClient) async throws -> [String: Any]? {
        var cursor: String?
        repeat {
            let page = try await market.call(.GET, "/v1/publications?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""))
            if let found = (page["items"] as? [[String: Any]] ?? []).first(where: { $0["upload_id"] as? String == upload }) { return found }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return nil
    }
}
