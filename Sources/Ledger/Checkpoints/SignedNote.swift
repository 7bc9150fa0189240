import Foundation
public import LightboxCrypto

/// C2SP signed notes (the format of Go's sumdb and of transparency-log checkpoints): text ending in a newline,
/// a blank line, then signature lines `— <name> <base64(key hash ‖ signature)>`.
///
/// Keys are Ed25519 (algorithm 1). The key hash is the first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key);
/// the verifier key is written `<name>+<key hash in hex>+<base64(0x01 ‖ public key)>`.
public enum SignedNote {
    static let ed25519: UInt8 = 0x01
    static let signaturePrefix = "\u{2014} "

    /// Signs note texts under a name with an Ed25519 key.
    public struct Signer: Sendable {
        public let name: String
        let key: Ed25519.PrivateKey

        /// - Throws: ``LedgerError`` `.invalidCheckpoint` for an empty name or one with spaces or "+".
        public init(name: String, key: Ed25519.PrivateKey) throws(LedgerError) {
            try SignedNote.checkName(name)
            self.name = name
            self.key = key
        }

        /// The key hash (big-endian) that identifies the key in signature lines.
        public var keyHash: [UInt8] { SignedNote.keyHash(name: name, publicKey: key.publicKey) }

        /// `<name>+<key hash>+<base64(0x01 ‖ public key)>`: what verifiers configure.
        public var verifierKey: String {
            "\(name)+\(keyHash.hexString)+\(Data([SignedNote.ed25519] + key.publicKey.bytes).base64EncodedString())"
        }

        /// The signed note: `text`, a blank line and this signer's signature line.
        /// - Throws: `.invalidCheckpoint` when the text is empty, does not end in a newline, or has a blank line.
        public func sign(_ text: String) throws(LedgerError) -> String {
            try SignedNote.checkText(text)
            let signature = key.signature(for: Array(text.utf8))
            return text + "\n" + SignedNote.signaturePrefix + name + " " + Data(keyHash + signature).base64EncodedString() + "\n"
        }
    }

    /// Checks signatures by one key.
    public struct Verifier: Sendable, Equatable {
        public let name: String
        public let keyHash: [UInt8]
        public let publicKey: Ed25519.PublicKey

        /// Parses a verifier key `<name>+<hash>+<base64 key>`.
        /// - Throws: `.invalidCheckpoint` naming what is wrong (including a key hash that does not match the key).
        public init(_ text: String) throws(LedgerError) {
            // The base64 key may itself contain "+": split at the first two only.
            let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let hash = [UInt8](hexString: String(parts[1])), hash.count == 4,
                  let key = Data(base64Encoded: String(parts[2])), key.count == 33, key.first == SignedNote.ed25519,
                  let publicKey = try? Ed25519.PublicKey(bytes: Array(key.dropFirst()))
            else {
                throw LedgerError(.invalidCheckpoint, "'\(text.prefix(120))' is not an Ed25519 verifier key (name+hash+base64key)")
            }
            try SignedNote.checkName(String(parts[0]))
            guard SignedNote.keyHash(name: String(parts[0]), publicKey: publicKey) == hash else {
                throw LedgerError(.invalidCheckpoint, "the verifier key's hash does not match its name and key")
            }
            self.name = String(parts[0])
            self.keyHash = hash
            self.publicKey = publicKey
        }
    }

    /// Opens a signed note: returns its text when at least one signature by a known verifier is valid.
    /// - Throws: `.invalidCheckpoint` for a malformed note; `.invalidSignature` when no known key signed it or a
    ///   signature by a known key is invalid.
    public static func open(_ note: String, verifiers: [Verifier]) throws(LedgerError) -> (text: String, signedBy: [String]) {
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw LedgerError(.invalidCheckpoint, "a signed note needs its text, a blank line and signature lines")
        }
        let text = String(note[..<split.lowerBound]) + "\n"
        let lines = note[split.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard note.hasSuffix("\n"), lines.count >= 2, lines.last == "" else {
            throw LedgerError(.invalidCheckpoint, "a signed note's signature lines must each end in a newline")
        }
        var signedBy = [String]()
        for line in lines.dropLast() {
            guard line.hasPrefix(signaturePrefix) else {
                throw LedgerError(.invalidCheckpoint, "'\(line.prefix(80))' is not a signature line (— name signature)")
            }
            let fields = line.dropFirst(signaturePrefix.count).split(separator: " ")
            guard fields.count == 2, let blob = Data(base64Encoded: String(fields[1])), blob.count == 68 else {
                throw LedgerError(.invalidCheckpoint, "'\(line.prefix(80))' is not a well-formed Ed25519 signature line")
            }
            let bytes = [UInt8](blob)
            guard let verifier = verifiers.first(where: { $0.name == fields[0] && $0.keyHash == Array(bytes[0..<4]) }) else {
                continue  // a signature by a key we do not know: allowed, not counted
            }
            guard verifier.publicKey.isValidSignature(Array(bytes[4...]), for: Array(text.utf8)) else {
                throw LedgerError(.invalidSignature, "the signature by \(verifier.name) does not verify")
            }
            signedBy.append(verifier.name)
        }
        guard !signedBy.isEmpty else {
            throw LedgerError(.invalidSignature, "the note carries no signature by a known key")
        }
        return (text, signedBy)
    }

    static func keyHash(name: String, publicKey: Ed25519.PublicKey) -> [UInt8] {
        Array(SHA256.hash(Array(name.utf8) + [0x0a, ed25519] + publicKey.bytes).prefix(4))
    }

    static func checkName(_ name: String) throws(LedgerError) {
        guard !name.isEmpty, !name.contains("+"), !name.contains(where: \.isWhitespace) else {
            throw LedgerError(.invalidCheckpoint, "note key name '\(name)' must be non-empty, without spaces or '+'")
        }
    }

    static func checkText(_ text: String) throws(LedgerError) {
        guard text.hasSuffix("\n"), !text.contains("\n\n"), !text.hasPrefix("\n") else {
            throw LedgerError(.invalidCheckpoint, "a note's text must end in a newline and contain no blank line")
        }
    }
}
