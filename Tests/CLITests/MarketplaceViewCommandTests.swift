import Foundation
import LightboxTestSupport
import Testing

/// What users asked to see from the terminal, as real processes against `lightbox serve`: their publications and a
/// rejected one's report, a listing's quality and licence in words with its previews, their purchases and sales with
/// deadlines as dates, a dispute's fee before it is taken, and both sides' evidence as the arbiter reads it.
@Suite("CLI: the marketplace's views", .serialized)
struct MarketplaceViewCommandTests {
    /// A ledger time as the commands print it.
    static var date: Regex<Substring> { #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/# }

    @Test("publications, a rejected dataset's findings and report, a listing's quality, licence and previews, purchases, and a dispute read by its arbiter")
    func views() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = try await ClientNode.start(accounts: ["seller", "buyer", "arbiter"], in: directory)
        defer { node.stop() }
        let (accounts, url) = (node.accounts, node.url)
        func lightbox(_ arguments: [String], key: String? = nil) async throws -> LightboxProcess.Output { try await node.run(arguments, key: key) }
        func generate(_ name: String, _ extra: [String] = []) async throws {
            let made = try await LightboxProcess.run(
                ["dataset", "generate", name, "--images", "12", "--width", "96", "--height", "72"] + extra, in: directory)
            #expect(made.status == 0, "stderr: \(made.stderr)")
        }
        #expect(try await lightbox(["governance", "arbiter", "add", accounts["arbiter"] ?? "", "--key", "governance"]).status == 0)

        // A rejected publish names its top findings, not only a route; nothing in a pipe carries terminal codes.
        try await generate("broken", ["--defect", "truncatedImage", "--defect", "outOfBounds", "--seed", "3"])
        let rejected = try await lightbox(["publish", "broken", "--title", "Broken", "--task", "detection", "--price", "3"], key: "seller")
        #expect(rejected.status == 1, "\(rejected.stdout)")
        #expect(rejected.stderr.contains("turned away") && rejected.stderr.contains("image.truncated") && rejected.stderr.contains("geometry.out-of-bounds"),
                "\(rejected.stderr)")
        #expect(!rejected.stderr.contains("\u{1B}") && !rejected.stderr.contains("\r"), "no progress bar drawn into a pipe: \(rejected.stderr.debugDescription)")
        try await generate("set")
        let published = try await lightbox(["publish", "set", "--title", "Tiny streets", "--task", "detection", "--price", "12", "--licence", "commercial"], key: "seller")
        #expect(published.status == 0 && published.stdout.contains("listing 1 is active"), "\(published.stdout) \(published.stderr)")
        #expect(!published.stderr.contains("\u{1B}"), "\(published.stderr.debugDescription)")

        let publications = try await lightbox(["publications"], key: "seller")
        let lines = publications.stdout.split(separator: "\n").filter { $0.hasPrefix("pub_") }
        #expect(lines.count == 2 && lines[0].contains("Tiny streets  active") && lines[0].contains("listing 1"), "\(publications.stdout)")
        #expect(lines[1].contains("Broken  rejected, score"), "\(publications.stdout)")
        let rejectedID = try #require(lines[1].split(separator: " ").first.map(String.init))
        let report = try await lightbox(["publication", "report", rejectedID, "--output", "report"], key: "seller")
        #expect(report.status == 0 && report.stdout.contains("fail") && report.stdout.contains("error image.truncated"), "\(report.stdout) \(report.stderr)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("report").path)
        #expect(saved.contains("report.json") && saved.contains { $0.hasSuffix(".png") }, "\(saved)")
        for sheet in saved where sheet.hasSuffix(".png") {
            let bytes = try Data(contentsOf: directory.appendingPathComponent("report/" + sheet))
            #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(sheet) is a PNG")
        }
        let stranger = try await lightbox(["publication", "report", rejectedID, "--output", "other"], key: "buyer")
        #expect(stranger.status == 1 && stranger.stderr.contains("403"), "only the owner reads a publication's report: \(stranger.stderr)")

        // The listing: its quality summary and licence in words, and its previews saved and checked against their CIDs.
        let listing = try await lightbox(["listing", "show", "1", "--previews", "previews"])
        #expect(listing.status == 0, "\(listing.stderr)")
        for expected in ["/100, passed its check", "labels ", "policy: a score of at least", "licence commercial",
                         "allowed: commercial use", "not allowed: sharing or reselling the data itself", "condition:", "ListingMinted"] {
            #expect(listing.stdout.contains(expected), "missing '\(expected)' in:\n\(listing.stdout)")
        }
        let previews = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("previews").path)
        #expect(!previews.isEmpty && previews.allSatisfy { $0.hasPrefix("listing-1-preview-") && $0.hasSuffix(".jpg") }, "\(previews)")
        for preview in previews {
            #expect(try Data(contentsOf: directory.appendingPathComponent("previews/" + preview)).prefix(2) == Data([0xFF, 0xD8]), "\(preview) is a JPEG")
        }

        try Data("not a directory".utf8).write(to: directory.appendingPathComponent("a-file"))
        let intoFile = try await lightbox(["listing", "show", "1", "--previews", "a-file"])
        #expect(intoFile.status == 1 && intoFile.stderr.contains("a-file is a file, not a directory"), "\(intoFile.stderr)")

        // Purchases and sales: where each stands, and the next deadline as a date.
        #expect(try await lightbox(["faucet", "--amount", "50"], key: "buyer").status == 0)
        #expect(try await lightbox(["buy", "1"], key: "buyer").status == 0)
        let bought = try await lightbox(["purchases", "--role", "buyer"], key: "buyer")
        #expect(bought.stdout.contains("purchase 1 of listing 1, 12 tokens, you are the buyer: delivered; the buyer accepts or disputes by "), "\(bought.stdout)")
        #expect(bought.stdout.contains(Self.date), "\(bought.stdout)")
        let sold = try await lightbox(["purchases", "--role", "seller"], key: "seller")
        #expect(sold.stdout.contains("purchase 1 of listing 1, 12 tokens, you are the seller"), "\(sold.stdout)")
        #expect(try await lightbox(["purchases", "--role", "seller"], key: "buyer").stdout.contains("you have no purchases as the seller"))
        let badRole = try await lightbox(["purchases", "--role", "owner"], key: "buyer")
        #expect(badRole.status != 0 && badRole.stderr.contains("buyer") && badRole.stderr.contains("seller"), "\(badRole.stderr)")

        // A dispute says its fee before taking it, then the arbiter reads both sides' documents.
        let opened = try await lightbox(["dispute", "open", "1", "--reason", "Boxes miss small objects", "--details", "Dogs under 20 px are not boxed."], key: "buyer")
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stderr.contains("deposits the arbitration fee, 5 tokens, which pays the arbiter"), "\(opened.stderr)")
        #expect(opened.stdout.contains("evidence until ") && opened.stdout.contains(Self.date), "\(opened.stdout)")
        let early = try await lightbox(["dispute", "rule", "1", "--refund"], key: "arbiter")
        #expect(early.status == 1 && early.stderr.contains("runs until ") && early.stderr.contains(Self.date), "a time in an error is a date: \(early.stderr)")
        #expect(!early.stderr.contains(#/until \d{9,}/#), "\(early.stderr)")
        #expect(try await lightbox(["dispute", "evidence", "1", "--reason", "Small objects are out of scope", "--details", "The listing says so."], key: "seller").status == 0)
        let disputed = try await lightbox(["purchases"], key: "seller")
        #expect(disputed.stdout.contains("IN DISPUTE since") && disputed.stdout.contains("2 pieces of evidence"), "\(disputed.stdout)")
        let shown = try await lightbox(["dispute", "show", "1"], key: "arbiter")
        #expect(shown.status == 0, "\(shown.stderr)")
        for expected in ["evidence from the buyer", "Boxes miss small objects", "Dogs under 20 px are not boxed.",
                         "evidence from the seller", "Small objects are out of scope", "arbitration fee 5 tokens"] {
            #expect(shown.stdout.contains(expected), "missing '\(expected)' in:\n\(shown.stdout)")
        }
        let asJSON = try await lightbox(["dispute", "show", "1", "--json"], key: "arbiter")
        let evidence = (try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as? [String: Any])?["evidence"] as? [[String: Any]]
        #expect(evidence?.compactMap { ($0["document"] as? [String: Any])?["name"] as? String }
            == ["Boxes miss small objects", "Small objects are out of scope"], "\(asJSON.stdout)")
        let notDisputed = try await lightbox(["dispute", "show", "7"], key: "arbiter")
        #expect(notDisputed.status == 1 && notDisputed.stderr.contains("404"), "\(notDisputed.stderr)")

        // The evidence is on the node's gateway: `ipfs get --server` fetches it, verified, with no gateway configured.
        let cid = try #require(shown.stdout.firstMatch(of: #/ipfs://(\w+)/#).map { String($0.1) })
        let fetched = try await lightbox(["ipfs", "get", cid, "--output", "evidence.json", "--server", url])
        #expect(fetched.status == 0 && fetched.stdout.contains("verified from \(url)"), "\(fetched.stdout) \(fetched.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent("evidence.json"), encoding: .utf8).contains("Boxes miss small objects"))
    }
}
