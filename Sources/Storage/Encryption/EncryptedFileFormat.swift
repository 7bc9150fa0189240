/// Lightbox's encrypted file format, `LBXE` version 1: one dataset file encrypted with libsodium's secretstream
/// (XChaCha20-Poly1305).
///
/// ```
/// "LBXE" | 0x01 | plaintext bytes per chunk (u32, big-endian) | secretstream header (24 bytes)
/// chunk 1 … chunk n: each the chunk's plaintext encrypted, 17 bytes longer; the last tagged final
/// ```
/// Every chunk is authenticated with associated data binding it to its dataset, its path inside it and the
/// format fields before the stream header (magic, version, chunk size), so a chunk or file moved elsewhere or a
/// header edited fails to decrypt, as does a stream cut short or extended after its final chunk.
/// An empty file is one empty final chunk.
public enum EncryptedFileFormat {
    static let magic: [UInt8] = Array("LBXE".utf8)
    static let version: UInt8 = 1
    /// Plaintext bytes per chunk written by this version.
    public static let chunkSize = 65_536
    /// Bytes before the first chunk.
    public static let headerByteCount = 4 + 1 + 4 + 24

    /// The associated data of every chunk of the file at `path` in dataset `datasetID`.
    static func binding(datasetID: String, path: String, chunkSize: Int) -> [UInt8] {
        Array("lightbox.dataset-file.v1\u{0}\(datasetID)\u{0}\(path)\u{0}".utf8) + formatFields(chunkSize: chunkSize)
    }

    static func header(chunkSize: Int, streamHeader: [UInt8]) -> [UInt8] {
        formatFields(chunkSize: chunkSize) + streamHeader
    }

    /// Magic, version and chunk size: the header bytes before the secretstream header.
    private static func formatFields(chunkSize: Int) -> [UInt8] {
        magic + [version] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: chunkSize >> ($0 * 8)) }
    }

    /// Reads the header: the chunk size and the secretstream header.
    static func parseHeader(_ bytes: [UInt8]) throws(StorageError) -> (chunkSize: Int, streamHeader: [UInt8]) {
        guard bytes.count == headerByteCount, Array(bytes[0..<4]) == magic else {
            throw StorageError(.decryptionFailed, "the data is not a Lightbox encrypted file (no LBXE header)")
        }
        guard bytes[4] == version else {
            throw StorageError(.decryptionFailed, "encrypted file version \(bytes[4]) is not supported; expected \(version)")
        }
        let chunkSize = bytes[5..<9].reduce(0) { $0 << 8 | Int($1) }
        guard (1...(1 << 24)).contains(chunkSize) else {
            throw StorageError(.decryptionFailed, "the encrypted file's chunk size \(chunkSize) is out of range")
        }
        return (chunkSize, Array(bytes[9...]))
    }
}
