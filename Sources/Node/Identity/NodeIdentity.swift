public import Foundation
public import LightboxCrypto

/// The node's keys, kept in `<data-dir>/keys/` with mode 0600.
///
/// - The **signing key** (Ed25519) signs ledger checkpoints; its public half is the node's identity.
/// - The **QA key** (secp256k1) signs quality attestations as EIP-712 typed data, which the embedded ledger and the
///   EVM registry both check; governance authorises it by its address.
/// - The **master key** (256-bit) wraps every dataset's content key; content keys are never stored unwrapped.
/// - The **account key** (secp256k1) is the node's own ledger account: it signs the intents the node submits for
///   others — deliveries for the contributors who approved it as their operator, releases at a deadline.
///
/// Neither key's secret bytes appear in descriptions, so they cannot reach a log by accident.
public struct NodeIdentity: Sendable {
    /// Signs checkpoints.
    public let signingKey: Ed25519.PrivateKey
    /// Signs quality attestations.
    public let qaKey: Secp256k1.PrivateKey
    /// Wraps per-dataset keys.
    public let masterKey: SymmetricKey
    /// The node's ledger account.
    public let accountKey: Secp256k1.PrivateKey
    /// When the signing key was created.
    public let createdAt: Date

    /// The public half of the signing key.
    public var publicKey: Ed25519.PublicKey { signingKey.publicKey }
    /// The address governance authorises the QA key by.
    public var qaSigner: EthereumAddress { EthereumAddress(publicKey: qaKey.publicKey) }

    static let signingKeyFile = "keys/node-signing.key"
    static let masterKeyFile = "keys/master.key"
    static let accountKeyFile = "keys/node-account.key"
    static let qaKeyFile = "keys/qa-signer.key"

    /// Loads the node's keys, creating any that do not exist yet.
    /// - Returns: The identity and the key files created by this call.
    /// - Throws: ``NodeError`` with code `keyFile` for unreadable, malformed or world-readable key files.
    public static func loadOrCreate(in directory: DataDirectory) throws(NodeError) -> (identity: NodeIdentity, created: [String]) {
        let keys = directory.file("keys")
        if !FileManager.default.fileExists(atPath: keys) {
            guard mkdir(keys, 0o700) == 0 || errno == EEXIST else {
                throw NodeError(.keyFile, "cannot create \(keys): \(String(cString: strerror(errno)))")
            }
        }
        var created: [String] = []
        let seed = try loadOrCreateKey(
            directory.file(signingKeyFile), type: "ed25519-seed", byteCount: Ed25519.PrivateKey.seedByteCount,
            created: &created
        )
        let master = try loadOrCreateKey(
            directory.file(masterKeyFile), type: "master-key", byteCount: SymmetricKey.byteCount, created: &created
        )
        let account = try loadOrCreateKey(directory.file(accountKeyFile), type: "secp256k1", byteCount: 32, created: &created)
        let qa = try loadOrCreateKey(directory.file(qaKeyFile), type: "secp256k1", byteCount: 32, created: &created)
        do {
            let identity = NodeIdentity(
                signingKey: try Ed25519.PrivateKey(seed: seed.bytes), qaKey: try Secp256k1.PrivateKey(bytes: qa.bytes), masterKey: try SymmetricKey(bytes: master.bytes),
                accountKey: try Secp256k1.PrivateKey(bytes: account.bytes), createdAt: seed.created
            )
            return (identity, created)
        } catch {
            throw NodeError(.keyFile, "the node's key files are damaged: \(error)")
        }
    }

    private static func loadOrCreateKey(_ path: String, type: String, byteCount: Int, created: inout [String])
        throws(NodeError) -> (bytes: [UInt8], created: Date)
    {
        if let existing = try KeyFile.read(path, type: type, byteCount: byteCount) { return existing }
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        if try KeyFile.create(path, type: type, bytes: SecureRandom.bytes(count: byteCount), created: now) {
            created.append(path)
        }
        // Read back what is on disk: if another process won the race, its key is the node's key.
        guard let stored = try KeyFile.read(path, type: type, byteCount: byteCount) else {
            throw NodeError(.keyFile, "key file \(path) vanished right after it was created")
        }
        return stored
    }

    // MARK: Dataset keys

    /// Wraps and unwraps dataset content keys under the master key.
    public var contentKeys: ContentKeyWrapper { ContentKeyWrapper(masterKey: masterKey) }

    /// Wraps a dataset's content key under the master key, bound to the dataset's id.
    public func wrap(contentKey: SymmetricKey, datasetID: String) -> [UInt8] {
        contentKeys.wrap(contentKey, datasetID: datasetID)
    }

    /// Unwraps a dataset's content key.
    /// - Throws: ``CryptoError`` when it was wrapped by another node or for another dataset, or was altered.
    public func unwrap(contentKey wrapped: [UInt8], datasetID: String) throws -> SymmetricKey {
        try contentKeys.unwrap(wrapped, datasetID: datasetID)
    }
}
