import Foundation
import Ledger
import LightboxCrypto
import Testing

@Suite("QA attestation as JSON")
struct QAAttestationCodingTests {
    @Test("hash, key and signature are hex; the earlier arrays of byte values still read; the signature survives both")
    func coding() throws {
        let attestation = try LedgerFixture().attestation()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(attestation)) as? [String: Any]
        #expect(json?["reportHash"] as? String == attestation.reportHash.hexString)
        #expect(json?["key"] as? String == attestation.key.hexString && attestation.key.count == 32)
        #expect(json?["signature"] as? String == attestation.signature.hexString && attestation.signature.count == 64)
        let decoded = try JSONDecoder().decode(QAAttestation.self, from: JSONEncoder().encode(attestation))
        #expect(decoded == attestation && decoded.isValid)

        var earlier = try #require(json)
        for field in ["reportHash", "key", "signature"] {
            earlier[field] = [UInt8](hexString: json?[field] as? String ?? "")?.map(Int.init)
        }
        let old = try JSONDecoder().decode(QAAttestation.self, from: JSONSerialization.data(withJSONObject: earlier))
        #expect(old == attestation && old.isValid)

        earlier["key"] = "not hex"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(QAAttestation.self, from: JSONSerialization.data(withJSONObject: earlier)) }
    }
}
