import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Testing

/// The web pages over HTTP: what a browser without JavaScript reads, the headers every page carries, and errors
/// as pages with the statuses the API gives. (The pages in a real browser, with the provenance checked there, are
/// tested by web/tests with Chromium.)
@Suite("Web pages")
struct WebPageTests {
    @Test("search, a listing's page and the ledger's page show what a buyer needs, from this node only")
    func pages() async throws {
        try await MarketplaceHarness.run(.sqlite) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let token = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let listingID = try await node.publishListing(dataset, by: contributor, token: token)

            let search = try await node.call(.GET, "/?q=street")
            #expect(search.status == 200)
            #expect(search.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            let policy = try #require(search.headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"))
            #expect(search.text.contains("href=\"/listings/\(listingID)\"") && search.text.contains("Street scenes"))
            #expect(search.text.contains("src=\"/v1/listings/\(listingID)/previews/0\" alt=\"Preview 1 of 4"))
            #expect(!search.text.contains("http://") && !search.text.contains("https://"), "nothing is loaded from elsewhere")
            let label = try await node.call(.GET, "/?label=person&ai_training=true")
            #expect(label.text.contains("href=\"/listings/\(listingID)\""))
            let none = try await node.call(.GET, "/?q=nothingmatchesthis")
            #expect(none.status == 200 && !none.text.contains("/listings/\(listingID)") && none.text.contains("No listing matches"))

            let page = try await node.call(.GET, "/listings/\(listingID)")
            #expect(page.status == 200)
            for words in [
                "Score 100 / 100", "passed", "training and evaluating machine-learning models", "sharing or reselling the data itself",
                "Licence: commercial (Lightbox terms)", "DatasetRegistry.ListingMinted", "/assets/verify.js", "id=\"provenance-data\"",
            ] {
                #expect(page.text.contains(words), "the listing's page lacks \(words)")
            }
            // The script's data names the node's verifier key and carries each event's entry, as the log hashed it.
            let data = try #require(Self.scriptData(page.text))
            let ledger = try #require(node.market.ledger.log)
            #expect(data["verifier_key"] as? String == ledger.verifierKey)
            let entries = try #require(data["entries"] as? [String: String])
            let events = try #require(data["events"] as? [[String: Any]])
            #expect(!events.isEmpty)
            for event in events {
                let index = try #require(event["index"] as? Int)
                let entry = try #require(entries[String(index)].flatMap { Data(base64Encoded: $0) })
                let logged = try await ledger.entry(UInt64(index))
                #expect([UInt8](entry) == logged)
            }

            let ledgerPage = try await node.call(.GET, "/ledger")
            #expect(ledgerPage.status == 200 && ledgerPage.text.contains(ledger.verifierKey))
            #expect(ledgerPage.text.contains("href=\"/listings/\(listingID)\""))

            let script = try await node.call(.GET, "/assets/verify.js")
            #expect(script.status == 200 && script.headers.first(name: "Content-Type") == "text/javascript; charset=utf-8")
            #expect(try await node.call(.GET, "/assets/site.css").status == 200)
            #expect(try await node.call(.GET, "/assets/nothing.js").status == 404)
        }
    }

    @Test("a search that cannot run and a listing that does not exist are pages that say so, with 400 and 404")
    func errors() async throws {
        try await MarketplaceHarness.run(.sqlite) { node in
            let bad = try await node.call(.GET, "/?min_score=lots")
            #expect(bad.status == 400 && bad.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(bad.text.contains("min_score must be a whole number"))
            let missing = try await node.call(.GET, "/listings/99")
            #expect(missing.status == 404 && missing.text.contains("there is no listing 99"))
            let notANumber = try await node.call(.GET, "/listings/abc")
            #expect(notANumber.status == 400 && notANumber.text.contains("a listing id is a whole number"))
            // Text a visitor typed is escaped, never markup.
            let hostile = try await node.call(.GET, "/?q=%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(hostile.status == 200 && !hostile.text.contains("<script>alert") && hostile.text.contains("&lt;script&gt;"))
        }
    }

    /// The JSON of the page's `<script type="application/json" id="provenance-data">`.
    static func scriptData(_ html: String) -> [String: Any]? {
        guard let start = html.range(of: "<script type=\"application/json\" id=\"provenance-data\">"),
              let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
    }
}
