import ArgumentParser
import AsyncHTTPClient
import ContentAddressing
import Foundation
import Ledger
import MarketAPI
import LightboxCrypto
import Logging
import Marketplace
import NIOHTTP1
import Storage
import Vision

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through the marketplace on a node of its own: publish, a rejection, a purchase, a dispute.",
        discussion: """
            Starts a node in a temporary directory (SQLite, a development ledger, the HTTP API on a loopback port, \
            job workers) and talks to it over HTTP as a contributor, two buyers and an arbiter would: a generated \
            dataset is published; a defective one is turned away with its report; a buyer buys, pulls, decrypts, \
            verifies and accepts; a second buyer disputes and the arbiter splits the price. Balances are shown at the end.
            """
    )

    @Option(help: "Images in the generated dataset.") var images = 40
    @Option(help: "Keep the node's directory here instead of a temporary one (must not exist); `lightbox serve --data-dir <dir>/node` serves it afterwards.")
    var directory: String?
    @Option(help: "embedded (the node's own ledger) or evm (Lightbox's contracts on a chain).") var ledger = "embedded"
    @Option(help: "With --ledger evm: a chain someone else runs (else the development chain is started from this checkout).") var rpcURL: String?
    @Option(help: "With --rpc-url: a file holding the hex private key of a funded account that deploys the contracts.") var deployerKeyFile: String?
    @Flag(help: "Print the story on standard error and one JSON object (contracts, listing) on standard output.") var json = false

    func run() async throws {
        try await CommandFailure.guarding { try await demo() }
    }

    private func demo() async throws {
        do {
            guard ledger == "embedded" || ledger == "evm" else { throw CommandError("--ledger is embedded or evm, not \(ledger.prefix(40))") }
            guard (rpcURL == nil) == (deployerKeyFile == nil) else { throw CommandError("--rpc-url and --deployer-key-file go together") }
            guard rpcURL == nil || ledger == "evm" else { throw CommandError("--rpc-url needs --ledger evm") }
            let root = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-demo-\(UUID().uuidString.prefix(8))").path
            guard !FileManager.default.fileExists(atPath: root) else { throw CommandError("\(root) already exists; choose a new --directory") }
            var chain: DemoChain?
            if ledger == "evm" {
                if let rpcURL, let deployerKeyFile {
                    chain = try DemoChain.external(url: rpcURL, deployerKeyFile: deployerKeyFile)
                } else {
                    chain = try DemoChain.development()
                }
            }
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
            let cast = DemoCast()
            DemoOutput.toStandardError = json
            say("Lightbox demo — a node of its own in \(root)")
            var open: EmbeddedNode.ChainLedger?
            if let chain {
                let treasury = cast.governance.address, arbiter = cast.arbiter.address
                open = { identity, dataDirectory, database, logger in
                    try await chain.ledger(identity: identity, dataDirectory: dataDirectory, database: database, treasury: treasury,
                                           arbiter: arbiter, logger: logger)
                }
            }
            try await EmbeddedNode.run(in: root, ledgerID: "lightbox-demo", governance: cast.governance.address, arbiter: cast.arbiter.address, chain: open) { node in
                if let addresses = chain?.addresses {
                    say("  node up at \(node.url): SQLite, Lightbox's contracts on chain \(addresses.chainID) at \(chain!.url), job workers")
                } else {
                    say("  node up at \(node.url): SQLite, development ledger \(node.market.ledger.parameters.ledgerID), job workers")
                }
                let listing = try await DemoScript(node: node, cast: cast, root: root, images: images).run()
                if let addresses = chain?.addresses {
                    say("\n6. On chain \(addresses.chainID)")
                    for (name, address) in addresses.named { say("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(address)") }
                    say("  listing       \(listing)")
                }
                if json {
                    var object: [String: Any] = ["listing_id": listing, "ledger": ledger, "node_url": node.url]
                    if let addresses = chain?.addresses {
                        object["chain_id"] = addresses.chainID
                        object["contracts"] = Dictionary(uniqueKeysWithValues: addresses.named.map { ($0.name, $0.address.description) })
                    }
                    if directory != nil { object["directory"] = root }
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                    FileHandle.standardOutput.write(data + Data([0x0a]))
                }
            }
        }
    }
}

/// The demo's accounts.
struct DemoCast {
    let governance = AccountKeys(.random())
    let contributor = AccountKeys(.random())
    let buyer = AccountKeys(.random())
    let secondBuyer = AccountKeys(.random())
    let arbiter = AccountKeys(.random())

    var named: [(String, AccountKeys)] {
        [("contributor", contributor), ("buyer", buyer), ("second buyer", secondBuyer), ("arbiter", arbiter), ("treasury", governance)]
    }
}

/// Where the demo's story goes: standard output, or standard error when standard output carries JSON.
enum DemoOutput {
    nonisolated(unsafe) static var toStandardError = false
}

/// A line of the demo's story, written at once (not buffered), so it reads as it happens.
private func say(_ line: String) {
    (DemoOutput.toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(Data((line + "\n").utf8))
}

/// The demo's steps, each over the HTTP API as the CLI's client commands make them.
struct DemoScript {
    let node: EmbeddedNode
    let cast: DemoCast
    let root: String
    let images: Int

    func client(_ keys: AccountKeys) async throws -> MarketClient {
        let client = MarketClient(server: node.url, keys: keys)
        try await client.signIn()
        return client
    }

    /// Runs the story; returns the listing it published.
    @discardableResult
    func run() async throws -> UInt64 {
        let contributor = try await client(cast.contributor)
        let listing = try await publish(contributor)
        try await rejection(contributor)
        let buyer = try await client(cast.buyer)
        try await buyPullAccept(buyer, listing: listing)
        try await dispute(listing: listing, contributor: contributor)
        say("\n5. Balances")
        let ledger = node.market.ledger
        for (name, keys) in cast.named {
            let balance = try await ledger.account(keys.address).balance
            say("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(keys.address)  \(balance.tokenString) tokens")
        }
        let escrowed = try await ledger.governance().escrowed
        if let log = ledger.log {
            let size = try await log.size()
            let root = try await log.rootHash(treeSize: size)
            say("  in escrow      \(escrowed.tokenString) tokens; ledger size \(size), root \(root.hexString.prefix(16))…")
        } else {
            say("  in escrow      \(escrowed.tokenString) tokens")
        }
        return listing
    }

    private func generate(_ name: String, seed: UInt64, defects: [PlantedDefect] = []) async throws -> String {
        let path = root + "/" + name
        var generator = DatasetGenerator(format: .coco, imageCount: images, seed: seed, defects: defects)
        generator.width = 160
        generator.height = 120
        let copy = generator
        _ = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try copy.generate(into: path) }) }
        }
        return path
    }

    private func publish(_ contributor: MarketClient) async throws -> UInt64 {
        say("\n1. A contributor publishes a dataset")
        try await contributor.submit(.faucet(amount: .tokens(10)))
        let dataset = try await generate("street-scenes", seed: 7)
        say("  generated \(images) annotated images (COCO) in \(dataset)")
        let upload = try await DatasetUpload(market: contributor, root: dataset, quiet: true).send(resuming: nil)
        say("  uploaded as \(upload)")
        let id = try await contributor.send(
            .POST, "/v1/publications",
            json: CreatePublicationRequest(
                uploadID: upload, title: "Street scenes", description: "People, cars and dogs on city streets, boxed", task: "detection",
                price: "40", royaltyBps: nil, licence: "commercial", terms: nil),
            as: PublicationResponse.self
        ).publication.id
        let started = Date()
        let publication = try await PublicationFollower(market: contributor, id: id, say: { say("  " + $0) }).untilListed(timeout: 300).publication
        let listing = publication.listingID ?? 0
        say("  listing \(listing) active in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: quality score \(publication.report?.score ?? 0), content root \(publication.contentRoot ?? "-")")
        let found = try await contributor.get("/v1/listings?q=street&task=detection", as: Page<ListingCard>.self)
        say("  search 'street' finds listings \(found.items.map(\.listingID))")
        return listing
    }

    private func rejection(_ contributor: MarketClient) async throws {
        say("\n2. A defective dataset is turned away")
        let dataset = try await generate("broken-set", seed: 8, defects: [.truncatedImage, .undefinedCategory, .outOfBounds])
        let upload = try await DatasetUpload(market: contributor, root: dataset, quiet: true).send(resuming: nil)
        let id = try await contributor.send(
            .POST, "/v1/publications",
            json: CreatePublicationRequest(
                uploadID: upload, title: "Broken set", description: nil, task: "detection", price: "5", royaltyBps: nil, licence: nil, terms: nil),
            as: PublicationResponse.self
        ).publication.id
        do {
            _ = try await PublicationFollower(market: contributor, id: id, say: { say("  " + $0) }).untilListed(timeout: 300)
            throw CommandError("the defective dataset was listed; the demo expected its rejection")
        } catch let error as CommandError where error.description.contains("turned away") {
            let report = try ReportFindings(json: try await contributor.raw(.GET, "/v1/publications/\(id)/report"))
            let checks = Set(report.findings.map(\.check)).sorted()
            say("  rejected: verdict \(report.verdict), \(report.findings.count) findings (\(checks.prefix(5).joined(separator: ", ")))")
            let summary = try await contributor.get("/v1/publications/\(id)", as: PublicationResponse.self).publication.report
            say("  the owner sees the report and \(summary?.contactSheets.count ?? 0) contact sheet(s) of the flagged images")
        }
    }

    private func buyPullAccept(_ buyer: MarketClient, listing: UInt64) async throws {
        say("\n3. A buyer buys, pulls, verifies and accepts")
        try await buyer.submit(.faucet(amount: .tokens(100)))
        let id = try await purchase(listing, by: buyer)
        let key = try await buyer.sealedKey(of: id)
        let store = try FileBlockStore(directory: root + "/buyer-blocks")
        let retrieval = DatasetRetrieval(
            client: TrustlessGatewayClient(configuration: .init(gateways: [node.url]), http: .shared, logger: Logger(label: "lightbox.demo")),
            store: store)
        let manifest = try await retrieval.manifest(key.manifest)
        let fetched = try await retrieval.fetch(contentRoot: key.contentRoot)
        say("  fetched \(fetched.files) encrypted files (\(fetched.bytes / 1024) KiB) from the node's IPFS gateway, every block checked against its CID")
        let written = try retrieval.decrypt(
            contentRoot: key.contentRoot, manifest: manifest, sealedKey: key.sealed, buyer: cast.buyer.sealing, to: root + "/pulled")
        say("  opened the key sealed to the buyer's X25519 key; \(written) files decrypted, each matching manifest \(key.manifest.description.prefix(20))…")
        try await buyer.submit(.accept(purchase: id))
        say("  accepted: the escrow paid the seller (less the 2.5 % platform fee)")
    }

    private func purchase(_ listing: UInt64, by buyer: MarketClient) async throws -> UInt64 {
        let (id, card) = try await buyer.buy(listing: listing)
        say("  purchase \(id): one signed intent; \(card.price) tokens now in escrow")
        guard try await buyer.purchaseAfterDelivery(id, timeout: 60).escrow == "delivered" else {
            throw CommandError("purchase \(id) was not delivered within a minute")
        }
        say("  delivered by the node (the contributor's operator): the content key sealed to the buyer, recorded on the ledger")
        return id
    }

    private func dispute(listing: UInt64, contributor: MarketClient) async throws {
        say("\n4. A second purchase is disputed and ruled")
        let buyer = try await client(cast.secondBuyer)
        try await buyer.submit(.faucet(amount: .tokens(100)))
        let id = try await purchase(listing, by: buyer)
        let cid = try await buyer.send(
            .POST, "/v1/evidence",
            json: ["name": "Boxes miss small objects", "description": "Dogs under 20 px are not annotated in the val split."],
            as: EvidenceStored.self
        ).cid
        let opened = try await buyer.submit(.openDispute(purchase: id, evidenceCID: cid))
        let fields = opened.event("DisputeOpened")?.fields ?? [:]
        say("  the buyer opens a dispute with evidence ipfs://\(cid) and deposits the arbitration fee; arbiter \(fields["arbiter"] ?? "?")")
        let answer = try await contributor.send(
            .POST, "/v1/evidence",
            json: ["name": "Small objects are out of scope", "description": "The listing's description and report say boxes are for objects over 24 px."],
            as: EvidenceStored.self
        ).cid
        try await contributor.submit(.submitEvidence(purchase: id, evidenceCID: answer))
        say("  the contributor answers with evidence ipfs://\(answer)")
        let arbiter = try await client(cast.arbiter)
        let queue = try await arbiter.get("/v1/disputes", as: Page<PurchaseView>.self)
        say("  the arbiter's queue holds purchases \(queue.items.map(\.purchaseID))")
        let ruling = try await arbiter.submit(.rule(purchase: id, buyerShare: try BasisPoints(5_000)))
        say("  ruled: half the price back to the buyer, half to the seller (\(ruling.events.map(\.name).joined(separator: ", ")))")
        let history = try await arbiter.get("/v1/listings/\(listing)", as: ListingResponse.self)
        say("  the listing's history: \(history.provenance.events.map(\.name).joined(separator: " → "))")
    }
}
