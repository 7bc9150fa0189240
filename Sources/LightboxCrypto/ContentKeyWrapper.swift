/// Wraps and unwraps datasets' content keys under a node's master key, each bound to its dataset's id, so a
/// wrapped key cannot be moved to another dataset or opened by another node.
public struct ContentKeyWrapper: Sendable {
    private let masterKey: SymmetricKey

    public init(masterKey: SymmetricKey) {
        self.masterKey = masterKey
    }

    /// Wraps a dataset's content key.
    public func wrap(_ contentKey: SymmetricKey, datasetID: String) -> [UInt8] {
        KeyWrap.wrap(contentKey, with: masterKey, associatedData: Self.binding(datasetID))
    }

    /// Unwraps a dataset's content key.
    /// - Throws: ``CryptoError`` when it was wrapped by another node or for another dataset, or was altered.
    public func unwrap(_ wrapped: [UInt8], datasetID: String) throws -> SymmetricKey {
        try KeyWrap.unwrap(wrapped, with: masterKey, associatedData: Self.binding(datasetID))
    }

    private static func binding(_ datasetID: String) -> [UInt8] { Array("lightbox.content-key.v1:\(datasetID)".utf8) }
}
