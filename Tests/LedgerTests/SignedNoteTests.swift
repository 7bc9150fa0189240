import Foundation
import Ledger
import LightboxCrypto
import Testing

/// Signed notes and checkpoints, against the reference example of Go's note package (golang.org/x/mod/sumdb/note).
@Suite("Signed notes and checkpoints")
struct SignedNoteTests {
    static let signerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let verifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let signed = text + "\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    static func peter() throws -> SignedNote.Signer {
        let seed = [UInt8](Data(base64Encoded: String(signerKey.split(separator: "+", maxSplits: 4)[4]))!).dropFirst()
        return try SignedNote.Signer(name: "PeterNeumann", key: Ed25519.PrivateKey(seed: Array(seed)))
    }

    @Test("the reference key gives the reference verifier key and signs the reference note byte for byte")
    func reference() throws {
        let signer = try Self.peter()
        #expect(signer.verifierKey == Self.verifierKey)
        #expect(try signer.sign(Self.text) == Self.signed)
        let opened = try SignedNote.open(Self.signed, verifiers: [try SignedNote.Verifier(Self.verifierKey)])
        #expect(opened.text == Self.text && opened.signedBy == ["PeterNeumann"])
    }

    @Test("an altered text, an unknown key, a bad verifier key and malformed notes are each refused")
    func refusals() throws {
        let verifier = try SignedNote.Verifier(Self.verifierKey)
        let altered = Self.signed.replacingOccurrences(of: "answer", with: "ANSWER")
        #expect(throws: LedgerError(.invalidSignature, "")) { try SignedNote.open(altered, verifiers: [verifier]) }
        let stranger = try SignedNote.Signer(name: "Stranger", key: Ed25519.PrivateKey())
        #expect(throws: LedgerError(.invalidSignature, "")) {
            try SignedNote.open(try stranger.sign(Self.text), verifiers: [verifier])
        }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try SignedNote.Verifier("PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try SignedNote.Verifier("not a key") }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try SignedNote.open(Self.text, verifiers: [verifier]) }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try Self.peter().sign("no newline") }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try SignedNote.Signer(name: "two words", key: Ed25519.PrivateKey()) }
    }

    @Test("a checkpoint round-trips through its text and a signed note")
    func checkpoint() throws {
        let root = MerkleTree.root(["a", "b", "c"].map { MerkleTree.leafHash(Array($0.utf8)) }[...])
        let checkpoint = Checkpoint(origin: "lightbox.test/ledger", size: 3, rootHash: root)
        #expect(checkpoint.text == "lightbox.test/ledger\n3\n\(Data(root).base64EncodedString())\n")
        let signer = try SignedNote.Signer(name: "lightbox.test/ledger", key: Ed25519.PrivateKey())
        let note = try signer.sign(checkpoint.text)
        let opened = try SignedNote.open(note, verifiers: [try SignedNote.Verifier(signer.verifierKey)])
        #expect(try Checkpoint(text: opened.text) == checkpoint)
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try Checkpoint(text: "origin\n03\n\(Data(root).base64EncodedString())\n") }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try Checkpoint(text: "origin\n3\nAAAA\n") }
        #expect(throws: LedgerError(.invalidCheckpoint, "")) { try Checkpoint(text: "origin\n3\n") }
    }
}
