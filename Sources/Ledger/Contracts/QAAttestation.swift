public import LightboxCrypto

/// A quality attestation: a QA key's signature over the verdict on one dataset's report, which the registry
/// requires before it mints a listing.
///
/// The signed statement is EIP-712 typed data, the same on the embedded ledger and on an EVM chain (where the
/// registry checks it with `ecrecover`), so a report attested once can be minted on either:
///
///     domain  {name: "Lightbox QA", version: "1"}
///     QAAttestation(string manifestCid,string reportCid,bytes32 reportHash,uint256 score,bool passed)
///
/// The domain names neither a chain nor a contract: an attestation speaks of a dataset, not of a ledger. The QA
/// key is a secp256k1 key, known by its Ethereum address.
public struct QAAttestation: Sendable, Equatable, Codable {
    public var manifestCID: String
    public var reportCID: String
    /// SHA-256 of the canonical report JSON.
    public var reportHash: [UInt8]
    public var score: UInt64
    public var passed: Bool
    /// The QA key's address, and its 65-byte signature (r ‖ s ‖ v) over ``typedData``.
    public var signer: EthereumAddress
    public var signature: [UInt8]

    public init(
        manifestCID: String, reportCID: String, reportHash: [UInt8], score: UInt64, passed: Bool, signer: EthereumAddress,
        signature: [UInt8]
    ) {
        self.manifestCID = manifestCID
        self.reportCID = reportCID
        self.reportHash = reportHash
        self.score = score
        self.passed = passed
        self.signer = signer
        self.signature = signature
    }

    /// The EIP-712 struct the QA key signs.
    public static let eip712Fields: [EIP712.Field] = [
        .init("manifestCid", "string"), .init("reportCid", "string"), .init("reportHash", "bytes32"), .init("score", "uint256"),
        .init("passed", "bool"),
    ]

    /// The typed data the QA key signs.
    public var typedData: EIP712.TypedData {
        EIP712.TypedData(
            types: ["QAAttestation": Self.eip712Fields], primaryType: "QAAttestation",
            domain: ["name": .string("Lightbox QA"), "version": .string("1")],
            message: [
                "manifestCid": .string(manifestCID), "reportCid": .string(reportCID), "reportHash": .bytes(reportHash),
                "score": .uint(score), "passed": .bool(passed),
            ])
    }

    /// Signs a verdict with a QA key.
    public static func sign(
        manifestCID: String, reportCID: String, reportHash: [UInt8], score: UInt64, passed: Bool, key: Secp256k1.PrivateKey
    ) throws -> QAAttestation {
        var attestation = QAAttestation(
            manifestCID: manifestCID, reportCID: reportCID, reportHash: reportHash, score: score, passed: passed,
            signer: EthereumAddress(publicKey: key.publicKey), signature: [])
        attestation.signature = try key.sign(digest: try attestation.typedData.digest()).ethereumBytes
        return attestation
    }

    /// Whether the signature is the signer's over the typed data.
    public var isValid: Bool {
        guard reportHash.count == 32, score <= 100, signature.count == 65,
              let digest = try? typedData.digest(),
              let recovered = try? Secp256k1.RecoverableSignature(ethereumBytes: signature).recoverPublicKey(digest: digest)
        else { return false }
        return EthereumAddress(publicKey: recovered) == signer
    }
}

extension QAAttestation {
    enum CodingKeys: String, CodingKey {
        case manifestCID, reportCID, reportHash, score, passed, signer, signature
    }

    /// The hash and signature are lower-case hex, the signer an address. An attestation written before attestations
    /// were EIP-712 (an Ed25519 `key`, no `signer`) reads with no signer and no signature: it no longer verifies, and
    /// its dataset has to be checked again.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func bytes(_ key: CodingKeys) throws -> [UInt8] {
            let text = try container.decode(String.self, forKey: key)
            guard let bytes = [UInt8](hexString: text.hasPrefix("0x") ? String(text.dropFirst(2)) : text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not hex")
            }
            return bytes
        }
        let signer = try container.decodeIfPresent(EthereumAddress.self, forKey: .signer)
        self.init(
            manifestCID: try container.decode(String.self, forKey: .manifestCID),
            reportCID: try container.decode(String.self, forKey: .reportCID), reportHash: try bytes(.reportHash),
            score: try container.decode(UInt64.self, forKey: .score), passed: try container.decode(Bool.self, forKey: .passed),
            signer: signer ?? .zero, signature: signer == nil ? [] : try bytes(.signature))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(manifestCID, forKey: .manifestCID)
        try container.encode(reportCID, forKey: .reportCID)
        try container.encode(reportHash.hexString, forKey: .reportHash)
        try container.encode(score, forKey: .score)
        try container.encode(passed, forKey: .passed)
        try container.encode(signer, forKey: .signer)
        try container.encode(signature.hexString, forKey: .signature)
    }
}
