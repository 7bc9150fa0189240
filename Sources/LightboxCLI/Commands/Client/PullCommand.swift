import ArgumentParser
import AsyncHTTPClient
import ContentAddressing
import Foundation
import NIOHTTP1
import Logging
import Ledger
import LightboxCrypto
import Node
import Storage

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a bought dataset from IPFS gateways, decrypt it and check every file against its manifest.",
        discussion: """
            Blocks are verified against their CIDs as they arrive and kept in <data-dir>/pulls, so an interrupted pull \
            resumes where it stopped. The files are written to --output only once every one of them matches the manifest.
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The purchase id.") var purchase: UInt64
    @Option(help: "Where to write the dataset (must not exist).") var output: String
    @Option(help: "A trustless gateway to fetch from (repeatable; default: the server's own).") var gateway: [String] = []

    func run() async throws {
        try await CommandFailure.guarding {
            guard !FileManager.default.fileExists(atPath: output) else { throw CommandError("\(output) already exists; choose a new --output") }
            let market = try await client.signedIn()
            guard let keys = market.keys else { throw CommandError("this needs an account key: give --key NAME") }
            let (root, manifestCID, sealed) = try await market.sealedKey(of: purchase)
            let settings = try client.settingsOptions.load()
            let store = try FileBlockStore(directory: settings.dataDirectory + "/pulls")
            let gateways = gateway.isEmpty ? [client.serverURL] : gateway
            let retrieval = DatasetRetrieval(
                client: TrustlessGatewayClient(configuration: .init(gateways: gateways), http: .shared, logger: Logger(label: "lightbox.pull")),
                store: store)
            let manifest = try await retrieval.manifest(manifestCID)
            let total = manifest.files.count
            let quiet = client.json
            let fetched = try await retrieval.fetch(contentRoot: root) { progress in
                if !quiet {
                    ClientOutput.progress("pulling \(ClientOutput.bar(progress.files, of: total)) \(progress.files)/\(total) files, \(progress.bytes / 1024) KiB")
                }
            }
            if !quiet { ClientOutput.endProgress() }
            let written = try retrieval.decrypt(contentRoot: root, manifest: manifest, sealedKey: sealed, buyer: keys.sealing, to: output)
            let summary = Pulled(
                purchaseID: purchase, files: written, resumedFiles: fetched.resumed, ciphertextBytes: fetched.bytes, output: output,
                contentRoot: root.description, manifestCID: manifestCID.description)
            ClientOutput.show(summary, json: client.json) {
                ["\(written) files decrypted into \(output), every one matching manifest \(manifestCID)"
                    + (fetched.resumed > 0 ? " (\(fetched.resumed) were already here)" : "")]
            }
        }
    }
}

/// What `lightbox pull --json` prints.
struct Pulled: Encodable {
    let purchaseID: UInt64
    let files: Int
    let resumedFiles: Int
    let ciphertextBytes: UInt64
    let output: String
    let contentRoot: String
    let manifestCID: String

    enum CodingKeys: String, CodingKey {
        case files, output
        case purchaseID = "purchase_id"
        case resumedFiles = "resumed_files"
        case ciphertextBytes = "ciphertext_bytes"
        case contentRoot = "content_root"
        case manifestCID = "manifest_cid"
    }
}
