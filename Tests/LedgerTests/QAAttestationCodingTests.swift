import Foundation
import Ledger
import LightboxCrypto
import Testing

@Suite("QA attestation")
struct QAAttestationCodingTests {
    /// eth-account 0.13 (`encode_typed_data` and `sign_message`) on the same typed data and key: the key is
    /// Keccak-256("lightbox.conformance.qa"), the conformance suite's `qa` account.
    @Test("the EIP-712 digest, the signer and the signature are eth-account's")
    func reference() throws {
        let key = try Secp256k1.PrivateKey(bytes: Keccak256.hash(Array("lightbox.conformance.qa".utf8)))
        let attestation = try QAAttestation.sign(
            manifestCID: "bafymanifest", reportCID: "bafyreport", reportHash: Array(0..<32), score: 92, passed: true, key: key)
        #expect(try attestation.typedData.digest().hexString == "045a5ee0b76fa4d03f0fc115f4c4cca990ede23f43b74a91bc36f90a42bf53ed")
        #expect(attestation.signer == (try EthereumAddress("0x29C1b2E628b6d956f6769E365c9EB7aED7FA8A30")))
        #expect(
            attestation.signature.hexString
                == "7c01f372c9156395194eb8ed724b38f709130dd52888f90ba7fbe22da588278734df303324550ba6f900f8dcc17d637598a04fab5d6df654fbc253417506a2461c")
        #expect(attestation.isValid)
        var other = attestation
        other.signer = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        #expect(!other.isValid)
    }

    @Test("hash and signature are hex and the signer an address; one written before attestations were EIP-712 reads but does not verify")
    func coding() throws {
        let attestation = try LedgerFixture().attestation()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(attestation)) as? [String: Any]
        #expect(json?["reportHash"] as? String == attestation.reportHash.hexString)
        #expect(json?["signer"] as? String == attestation.signer.description)
        #expect(json?["signature"] as? String == attestation.signature.hexString && attestation.signature.count == 65)
        let decoded = try JSONDecoder().decode(QAAttestation.self, from: JSONEncoder().encode(attestation))
        #expect(decoded == attestation && decoded.isValid)

        var earlier = try #require(json)
        earlier["signer"] = nil
        earlier["key"] = String(repeating: "ab", count: 32)
        earlier["signature"] = String(repeating: "cd", count: 64)
        let old = try JSONDecoder().decode(QAAttestation.self, from: JSONSerialization.data(withJSONObject: earlier))
        #expect(old.manifestCID == attestation.manifestCID && !old.isValid)

        var broken = try #require(json)
        broken["signature"] = "not hex"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(QAAttestation.self, from: JSONSerialization.data(withJSONObject: broken)) }
    }
}
