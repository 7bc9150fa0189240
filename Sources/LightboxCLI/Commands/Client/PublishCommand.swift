import ArgumentParser
import Foundation
import NIOHTTP1
import LightboxCrypto

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a dataset: upload it, wait for its quality check and storage, sign its listing, and wait until it is active.",
        discussion: """
            Files go up one request each; an interrupted publish resumes with --upload ID, sending only the files the \
            server does not have. The first publish also approves the server's node as your operator, so it can deliver \
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
            let uploadID = try await DatasetUpload(market: market, root: dataset, quiet: client.json).send(resuming: upload)
            let created = try await market.call(.POST, "/v1/publications", json: [
                "upload_id": uploadID, "title": title, "description": description, "task": task, "price": price,
                "licence": licence, "royalty_bps": royaltyBps,
            ])
            guard let id = (created["publication"] as? [String: Any])?["id"] as? String else {
                throw CommandError("the server did not say which publication it started")
            }
            if !client.json { ClientOutput.note("publication \(id): checking") }
            if noWait {
                ClientOutput.show(created, json: client.json) { ["publication \(id) started; follow it with `lightbox publish --upload \(uploadID)` or GET /v1/publications/\(id)"] }
                return
            }
            let finished = try await PublicationFollower(market: market, id: id, say: client.json ? nil : { ClientOutput.note($0) }).untilListed()
            let publication = finished["publication"] as? [String: Any] ?? [:]
            ClientOutput.show(finished, json: client.json) {
                ["listing \(ClientOutput.string(publication, "listing_id")) is active: \(title) at \(price) tokens"]
            }
        }
    }
}
