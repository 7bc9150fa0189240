import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// Datasets' content keys, stored only wrapped under the node's master key (table `storage_content_keys`).
///
/// A content key is made once per dataset and never leaves the node unwrapped except sealed to a buyer's
/// X25519 public key (`crypto_box_seal`), which only the buyer's secret key opens.
public struct ContentKeyStore: Sendable {
    let database: any Database
    let wrapper: ContentKeyWrapper

    public init(database: any Database, wrapper: ContentKeyWrapper) {
        self.database = database
        self.wrapper = wrapper
    }

    /// The dataset's content key, made and stored (wrapped) the first time it is asked for. Safe to call again
    /// and from several processes at once: all get the one key that was stored first.
    public func key(for datasetID: String, logger: Logger) async throws -> SymmetricKey {
        let candidate = SymmetricKey.random()
        let wrapped = wrapper.wrap(candidate, datasetID: datasetID)
        let now = Date.now
        try await database.withConnection(logger: logger) { connection in
            try await connection.execute(
                """
                INSERT INTO storage_content_keys (dataset_id, wrapped_key, created_at)
                VALUES (\(datasetID), \(wrapped), \(now)) ON CONFLICT (dataset_id) DO NOTHING
                """)
        }
        guard let key = try await existingKey(for: datasetID, logger: logger) else {
            throw StorageError(.notFound, "the content key of dataset \(datasetID) vanished after it was stored")
        }
        return key
    }

    /// The dataset's content key if one exists.
    /// - Throws: ``CryptoError`` when the stored key was wrapped by another node's master key or altered.
    public func existingKey(for datasetID: String, logger: Logger) async throws -> SymmetricKey? {
        try await wrappedKey(for: datasetID, logger: logger).map { try wrapper.unwrap($0, datasetID: datasetID) }
    }

    /// The dataset's content key as stored, wrapped under the node's master key; it never changes once stored.
    public func wrappedKey(for datasetID: String, logger: Logger) async throws -> [UInt8]? {
        let rows = try await database.query(
            "SELECT wrapped_key FROM storage_content_keys WHERE dataset_id = \(datasetID)", logger: logger)
        return try rows.first.map { try $0.decode("wrapped_key", as: [UInt8].self) }
    }

    /// A content key as stored (``wrappedKey(for:logger:)``) unwrapped and sealed to a buyer: only the buyer's X25519
    /// secret key opens it.
    /// - Throws: ``CryptoError`` when it was wrapped by another node's master key or altered.
    public func seal(wrapped: [UInt8], datasetID: String, to buyer: X25519.PublicKey) throws -> [UInt8] {
        SealedBox.seal(try wrapper.unwrap(wrapped, datasetID: datasetID).bytes, to: buyer)
    }

    /// Opens a content key sealed to `buyer` (what the buyer runs on their own machine).
    /// - Throws: ``StorageError`` `.decryptionFailed` when it was sealed to another key or altered.
    public static func open(sealed: [UInt8], with buyer: X25519.KeyPair) throws(StorageError) -> SymmetricKey {
        do {
            return try SymmetricKey(bytes: try SealedBox.open(sealed, with: buyer))
        } catch {
            throw StorageError(.decryptionFailed, "the sealed content key does not open with this key pair")
        }
    }
}
