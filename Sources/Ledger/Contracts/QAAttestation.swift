public import LightboxCrypto

/// A quality attestation: a QA key's Ed25519 signature over the verdict on one dataset's report, which the
/// registry requires before it mints a listing.
///
/// The signed statement is text, so that anyone can read what was attested:
///
///     lightbox.qa-attestation/v1
///     manifest <manifest CID>
///     report <report CID>
///     report-sha256 <hex of SHA-256 of the canonical report JSON>
///     score <0…100>
///     verdict pass|fail
public struct QAAttestation: Sendable, Equatable, Codable {
    public var manifestCID: String
    public var reportCID: String
    public var reportHash: [UInt8]
    public var score: UInt64
    public var passed: Bool
    /// The signing QA key (Ed25519, 32 bytes) and its signature over ``statement``.
    public var key: [UInt8]
    public var signature: [UInt8]

    public init(manifestCID: String, reportCID: String, reportHash: [UInt8], score: UInt64, passed: Bool, key: [UInt8], signature: [UInt8]) {
        self.manifestCID = manifestCID
        self.reportCID = reportCID
        self.reportHash = reportHash
        self.score = score
        self.passed = passed
        self.key = key
        self.signature = signature
    }

    /// Signs a verdict with a QA key.
    public static func sign(
        manifestCID: String, reportCID: String, reportHash: [UInt8], score: UInt64, passed: Bool, key: Ed25519.PrivateKey
    ) -> QAAttestation {
        var attestation = QAAttestation(
            manifestCID: manifestCID, reportCID: reportCID, reportHash: reportHash, score: score, passed: passed,
            key: key.publicKey.bytes, signature: [])
        attestation.signature = key.signature(for: Array(attestation.statement.utf8))
        return attestation
    }

    /// The text the QA key signs.
    public var statement: String {
        """
        lightbox.qa-attestation/v1
        manifest \(manifestCID)
        report \(reportCID)
        report-sha256 \(reportHash.hexString)
        score \(score)
        verdict \(passed ? "pass" : "fail")

        """
    }

    /// Whether the signature is the key's over the statement.
    public var isValid: Bool {
        guard reportHash.count == 32, score <= 100, let key = try? Ed25519.PublicKey(bytes: key) else { return false }
        return key.isValidSignature(signature, for: Array(statement.utf8))
    }
}

extension QAAttestation {
    enum CodingKeys: String, CodingKey {
        case manifestCID, reportCID, reportHash, score, passed, key, signature
    }

    /// The hash, key and signature are written as lower-case hex; arrays of byte values (the form written before)
    /// are read too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func bytes(_ key: CodingKeys) throws -> [UInt8] {
            if let text = try? container.decode(String.self, forKey: key) {
                guard let bytes = [UInt8](hexString: text) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not hex")
                }
                return bytes
            }
            return try container.decode([UInt8].self, forKey: key)
        }
        self.init(
            manifestCID: try container.decode(String.self, forKey: .manifestCID),
            reportCID: try container.decode(String.self, forKey: .reportCID), reportHash: try bytes(.reportHash),
            score: try container.decode(UInt64.self, forKey: .score), passed: try container.decode(Bool.self, forKey: .passed),
            key: try bytes(.key), signature: try bytes(.signature))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(manifestCID, forKey: .manifestCID)
        try container.encode(reportCID, forKey: .reportCID)
        try container.encode(reportHash.hexString, forKey: .reportHash)
        try container.encode(score, forKey: .score)
        try container.encode(passed, forKey: .passed)
        try container.encode(key.hexString, forKey: .key)
        try container.encode(signature.hexString, forKey: .signature)
    }
}
