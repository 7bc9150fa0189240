import Foundation
import Ledger
import LightboxCrypto
import Testing

/// Listings and purchases as stored: hashes, keys and signatures as hex text, and records stored before that (the
/// same fields as arrays of numbers) still read as the same records.
@Suite struct RecordCodingTests {
    /// A listing and a delivered, disputed purchase of it.
    static func records() throws -> (ListingRecord, PurchaseRecord) {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        try f.apply(.deliver(purchase: 1, sealedKey: Array(repeating: 0xa5, count: 80)), by: f.alice)
        try f.apply(.openDispute(purchase: 1, evidenceCID: "bafyevidence"), by: f.bob)
        return (f.state.listings[1]!, f.state.purchases[1]!)
    }

    static func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    /// The record's JSON with `fields` written as arrays of numbers, as records were stored before.
    static func asArrays(_ object: [String: Any], _ fields: [String]) throws -> Data {
        var old = object
        for field in fields {
            let text = try #require(object[field] as? String)
            old[field] = try #require([UInt8](hexString: text)).map(Int.init)
        }
        return try JSONSerialization.data(withJSONObject: old)
    }

    @Test("a listing's hashes, key and signature are hex text, and a listing stored with arrays reads the same")
    func listing() throws {
        let (listing, _) = try Self.records()
        let stored = try Self.object(listing)
        #expect(stored["termsHash"] as? String == listing.termsHash.hexString)
        #expect(stored["reportHash"] as? String == listing.reportHash.hexString)
        #expect(stored["attestationSignature"] as? String == listing.attestationSignature.hexString)
        #expect(try JSONDecoder().decode(ListingRecord.self, from: JSONEncoder().encode(listing)) == listing)
        let old = try Self.asArrays(stored, ["termsHash", "reportHash", "attestationKey", "attestationSignature"])
        #expect(try JSONDecoder().decode(ListingRecord.self, from: old) == listing)
    }

    @Test("a purchase's terms hash, buyer key and sealed key are hex text, and a purchase stored with arrays reads the same")
    func purchase() throws {
        let (_, purchase) = try Self.records()
        #expect(purchase.sealedKey != nil && purchase.dispute != nil)
        let stored = try Self.object(purchase)
        #expect(stored["sealedKey"] as? String == String(repeating: "a5", count: 80))
        #expect(stored["buyerKey"] as? String == purchase.buyerKey.hexString)
        #expect(try JSONDecoder().decode(PurchaseRecord.self, from: JSONEncoder().encode(purchase)) == purchase)
        let old = try Self.asArrays(stored, ["termsHash", "buyerKey", "sealedKey"])
        #expect(try JSONDecoder().decode(PurchaseRecord.self, from: old) == purchase)
        // Not delivered yet: no sealed key at all.
        var undelivered = stored
        undelivered["sealedKey"] = nil
        let read = try JSONDecoder().decode(PurchaseRecord.self, from: JSONSerialization.data(withJSONObject: undelivered))
        #expect(read.sealedKey == nil)
    }

    @Test("a stored hash that is not hex is refused")
    func notHex() throws {
        let (_, purchase) = try Self.records()
        var stored = try Self.object(purchase)
        stored["termsHash"] = "not hex"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PurchaseRecord.self, from: JSONSerialization.data(withJSONObject: stored))
        }
    }
}
