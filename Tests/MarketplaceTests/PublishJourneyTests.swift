import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Node
import Testing
import Vision

/// The contributor's journey over real HTTP: sign in, upload, the quality check, storage, the owner's Mint
/// signature, and the listing found by search with its provenance — and a defective dataset turned away.
@Suite("Marketplace: publishing", .serialized)
struct PublishJourneyTests {
    @Test("a clean dataset becomes an active, searchable listing with its provenance", arguments: Backend.allCases)
    func publish(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let token = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let upload = try await node.upload(dataset, token: token)

            let created = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": upload, "title": "Street scenes for detection", "description": "Cars and people, annotated",
                "task": "detection", "price": "25", "licence": "research",
            ])
            #expect(created.status == 202, "\(String(decoding: created.body, as: UTF8.self))")
            let id = try #require((created.json["publication"] as? [String: Any])?["id"] as? String)
            // The upload is sealed: its files cannot change under the check.
            let late = try await node.call(.PUT, "/v1/uploads/\(upload)/files/extra.txt", token: token, bytes: [1])
            #expect(late.status == 409 && late.errorCode == "conflict")

            let stored = try await node.waitForPublication(id, token: token, states: ["awaiting_signature", "rejected", "failed"])
            let publication = try #require(stored.json["publication"] as? [String: Any])
            #expect(publication["state"] as? String == "awaiting_signature", "\(publication)")
            let steps = try #require(publication["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["vision.check", "storage.prepare"])
            #expect(steps.allSatisfy { $0["finished_at"] != nil })
            let report = try #require(publication["report"] as? [String: Any])
            #expect(report["passed"] as? Bool == true && report["images"] as? Int == 16)

            // Someone else sees neither the publication nor its report.
            let stranger = try await node.signIn(Secp256k1.PrivateKey.random())
            #expect(try await node.call(.GET, "/v1/publications/\(id)", token: stranger).status == 403)
            #expect(try await node.call(.GET, "/v1/publications/\(id)/report", token: stranger).status == 403)

            // The node must first be the owner's operator (to deliver to buyers): the Mint waits for that approval.
            let unapproved = try await node.call(
                .POST, "/v1/publications/\(id)/mint", token: token, bytes: try node.sign(shown: "mint_intent", of: stored, by: contributor))
            #expect(unapproved.status == 409, "\(String(decoding: unapproved.body, as: UTF8.self))")
            let approval = try await node.call(
                .POST, "/v1/intents", token: token, bytes: try node.sign(shown: "operator_intent", of: stored, by: contributor))
            #expect(approval.status == 201 && (approval.json["events"] as? [[String: Any]])?.first?["name"] as? String == "ApprovalForAll")

            // The owner signs the Mint intent the publication shows; a stranger's signature is refused.
            let unsigned = try JSONSerialization.data(withJSONObject: try #require(stored.json["mint_intent"] as? [String: Any]))
            let domain = node.market.ledger.parameters.domain
            let intent = try SignedIntent(wireJSON: Array(unsigned), domain: domain).intent
            let forged = try await node.call(
                .POST, "/v1/publications/\(id)/mint", token: token,
                bytes: Self.forge(intent, domain: domain))
            #expect(forged.status == 422, "\(String(decoding: forged.body, as: UTF8.self))")
            let signed = try intent.signed(by: contributor, domain: domain)
            let minting = try await node.call(.POST, "/v1/publications/\(id)/mint", token: token, bytes: signed.wireJSON)
            #expect(minting.status == 202, "\(String(decoding: minting.body, as: UTF8.self))")
            let again = try await node.call(.POST, "/v1/publications/\(id)/mint", token: token, bytes: signed.wireJSON)
            #expect(again.status == 409)

            let active = try await node.waitForPublication(id, token: token, states: ["active", "failed"])
            let listingID = try #require((active.json["publication"] as? [String: Any])?["listing_id"] as? Int)
            #expect(try await node.market.ledger.governance().listingCount == 1)

            let found = try await node.call(.GET, "/v1/listings?q=street%20cars&task=detection&label=car&min_images=10")
            let items = try #require(found.json["items"] as? [[String: Any]])
            #expect(items.map { $0["listing_id"] as? Int } == [listingID])
            let none = try await node.call(.GET, "/v1/listings?q=aerial")
            #expect((none.json["items"] as? [Any])?.isEmpty == true)
            #expect(try await node.call(.GET, "/v1/listings?min_score=abc").status == 400)
            // A label is matched literally: LIKE's wildcards match nothing but themselves.
            for wildcard in ["%25", "_ar", "c%25"] {
                let wild = try await node.call(.GET, "/v1/listings?label=\(wildcard)")
                #expect(wild.status == 200 && (wild.json["items"] as? [Any])?.isEmpty == true, "label=\(wildcard)")
            }
            // The published plaintext is removed by the sweep once its ciphertext is stored.
            let uploadID = try #require((active.json["publication"] as? [String: Any])?["upload_id"] as? String)
            #expect(FileManager.default.fileExists(atPath: node.market.uploads.directory(of: uploadID)))
            let swept = try await MarketplaceSweeper(market: node.market).sweep(logger: MarketplaceHarness.logger)
            #expect(swept.clearedUploads.contains(uploadID))
            #expect(!FileManager.default.fileExists(atPath: node.market.uploads.directory(of: uploadID)))

            let page = try await node.call(.GET, "/v1/listings/\(listingID)")
            let provenance = try #require(page.json["provenance"] as? [String: Any])
            #expect(provenance["attestation_key"] as? String == node.market.identity.qaSigner.bytes.hexString)
            let events = try #require(provenance["events"] as? [[String: Any]])
            let minted = try #require(events.first { $0["name"] as? String == "ListingMinted" })
            let proof = try #require(minted["proof"] as? [String]).map { [UInt8](hexString: $0)! }
            #expect(MerkleTree.verifyInclusion(
                leafHash: [UInt8](hexString: minted["leaf_hash"] as! String)!, index: minted["index"] as! Int,
                treeSize: provenance["tree_size"] as! Int, proof: proof,
                root: [UInt8](hexString: provenance["root_hash"] as! String)!))
            // The card alone, as a buyer reads it before signing a purchase: the same card and licence, no provenance.
            let cardOnly = try await node.call(.GET, "/v1/listings/\(listingID)/card")
            #expect(cardOnly.status == 200 && cardOnly.json["provenance"] == nil)
            for part in ["listing", "licence"] {
                let alone = try #require(cardOnly.json[part] as? [String: Any])
                #expect(NSDictionary(dictionary: alone).isEqual(to: try #require(page.json[part] as? [String: Any])), "\(part)")
            }
            #expect(try await node.call(.GET, "/v1/listings/987654321/card").status == 404)
            #expect(try await node.call(.GET, "/v1/listings/x/card").status == 400)
            // The report the attestation names is served by CID from the node's own gateway.
            let reportCID = try #require(provenance["report_cid"] as? String)
            let fetched = try await node.call(.GET, "/ipfs/\(reportCID)?format=raw")
            #expect(fetched.status == 200)

            // Four public previews: JPEGs of at most 256 px, the same bytes as the CIDs the card lists.
            let card = try #require(page.json["listing"] as? [String: Any])
            let previews = try #require(card["previews"] as? [String])
            #expect(previews.count == 4 && Set(previews).count == 4)
            for (index, cid) in previews.enumerated() {
                let preview = try await node.call(.GET, "/v1/listings/\(listingID)/previews/\(index)")
                #expect(preview.status == 200 && preview.body.starts(with: [0xFF, 0xD8, 0xFF]))
                let image = try ImageDecoder().decode(preview.body).image
                #expect(image.width == 96 && image.height == 72, "small images are not enlarged")
                let block = try await node.call(.GET, "/ipfs/\(cid)?format=raw")
                #expect(block.status == 200 && block.body == preview.body, "the preview is the file its CID names")
            }
            #expect(try await node.call(.GET, "/v1/listings/\(listingID)/previews/4").status == 404)
            #expect(try await node.call(.GET, "/v1/listings/\(listingID)/previews/x").status == 404)
        }
    }

    /// The same intent signed by another account.
    static func forge(_ intent: Intent, domain: IntentDomain) throws -> [UInt8] {
        let other = Secp256k1.PrivateKey.random()
        let digest = try intent.typedData(domain).digest()
        let signature = try other.sign(digest: digest).ethereumBytes
        return SignedIntent(intent: intent, domain: domain, signature: signature).wireJSON
    }

    @Test("a defective dataset is turned away with its report and pictures; bad uploads leave nothing", arguments: Backend.allCases)
    func rejected(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let contributor = Secp256k1.PrivateKey.random()
            #expect(try await node.call(.POST, "/v1/uploads").status == 401)
            #expect(try await node.call(.POST, "/v1/uploads", token: "forged").status == 401)
            let token = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, defects: [.truncatedImage, .undefinedCategory])
            let upload = try await node.upload(dataset, token: token)

            // Hostile or broken files are refused, and leave nothing behind.
            let before = try await node.call(.GET, "/v1/uploads/\(upload)", token: token)
            for bad in ["..%2Fescape.png", "%2Fabsolute.png", "images/.hidden", "images/a%5Cb.png", "images/%01.png"] {
                let reply = try await node.call(.PUT, "/v1/uploads/\(upload)/files/\(bad)", token: token, bytes: [1, 2, 3])
                #expect(reply.status == 400, "\(bad): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let notAnImage = try await node.call(.PUT, "/v1/uploads/\(upload)/files/images/fake.png", token: token, bytes: Array("hello".utf8))
            #expect(notAnImage.status == 422 && notAnImage.errorCode == "unprocessable")
            let tooLarge = try await node.call(
                .PUT, "/v1/uploads/\(upload)/files/images/huge.jpg", token: token, bytes: [UInt8](repeating: 0xFF, count: (4 << 20) + 1))
            #expect(tooLarge.status == 413)
            let after = try await node.call(.GET, "/v1/uploads/\(upload)", token: token)
            #expect((after.json["files"] as? [Any])?.count == (before.json["files"] as? [Any])?.count)
            let directory = node.market.uploads.directory(of: upload)
            #expect(!FileManager.default.fileExists(atPath: directory + "/images/fake.png"))
            #expect((try? FileManager.default.contentsOfDirectory(atPath: directory + ".partial"))?.isEmpty ?? true)

            let created = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": upload, "title": "Broken set", "task": "detection", "price": "5",
            ])
            let id = try #require((created.json["publication"] as? [String: Any])?["id"] as? String)
            let done = try await node.waitForPublication(id, token: token, states: ["rejected", "awaiting_signature"])
            let publication = try #require(done.json["publication"] as? [String: Any])
            #expect(publication["state"] as? String == "rejected")
            #expect(publication["previews"] == nil, "a rejected dataset shows nothing in public")
            #expect(done.json["mint_intent"] == nil)
            let report = try await node.call(.GET, "/v1/publications/\(id)/report", token: token)
            #expect(report.status == 200 && report.json["verdict"] as? String == "fail")
            let sheets = try #require((publication["report"] as? [String: Any])?["contact_sheets"] as? [String])
            let sheet = try await node.call(.GET, "/v1/publications/\(id)/overlays/\(try #require(sheets.first))", token: token)
            #expect(sheet.status == 200 && sheet.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(try await node.market.ledger.governance().listingCount == 0)
        }
    }
}
