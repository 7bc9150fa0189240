internal import CSodium

/// Authenticated encryption of a stream of chunks with libsodium's secretstream (XChaCha20-Poly1305).
///
/// Every chunk carries its own authentication tag; the last one is marked final, so truncation is detected.
/// ```swift
/// let encryptor = SecretStream.Encryptor(key: key)
/// let c1 = try encryptor.push(part1)
/// let c2 = try encryptor.push(part2, isFinal: true)
/// let decryptor = try SecretStream.Decryptor(key: key, header: encryptor.header)
/// let p1 = try decryptor.pull(c1)
/// ```
public enum SecretStream {
    /// Bytes in the stream header that must travel with the ciphertext.
    public static let headerByteCount = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    /// Bytes each chunk grows by when encrypted (tag and MAC).
    public static let chunkOverhead = Int(crypto_secretstream_xchacha20poly1305_ABYTES)

    /// Encrypts chunks in order. Not thread-safe: one stream, one owner.
    public final class Encryptor {
        /// The header to store before the first chunk; the decryptor needs it.
        public let header: [UInt8]
        private var state = crypto_secretstream_xchacha20poly1305_state()
        private var finished = false

        /// Starts a new stream under `key` with a fresh random header.
        public init(key: SymmetricKey) {
            Sodium.ensureInitialised()
            var header = [UInt8](repeating: 0, count: SecretStream.headerByteCount)
            crypto_secretstream_xchacha20poly1305_init_push(&state, &header, key.bytes)
            self.header = header
        }

        /// Encrypts one chunk.
        /// - Parameters:
        ///   - plaintext: The chunk's bytes.
        ///   - isFinal: Marks the last chunk of the stream; nothing can be pushed after it.
        ///   - associatedData: Bytes authenticated with the chunk but not encrypted.
        /// - Returns: The ciphertext, `plaintext.count + chunkOverhead` bytes.
        /// - Throws: ``CryptoError`` with code `streamFinished` after the final chunk.
        public func push(_ plaintext: [UInt8], isFinal: Bool = false, associatedData: [UInt8] = []) throws -> [UInt8] {
            guard !finished else {
                throw CryptoError(.streamFinished, "the stream already ended with its final chunk")
            }
            var ciphertext = [UInt8](repeating: 0, count: plaintext.count + SecretStream.chunkOverhead)
            let tag = UInt8(
                isFinal ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
            )
            var written: UInt64 = 0
            crypto_secretstream_xchacha20poly1305_push(
                &state, &ciphertext, &written, plaintext, UInt64(plaintext.count),
                associatedData, UInt64(associatedData.count), tag
            )
            finished = isFinal
            return ciphertext
        }

        deinit {
            withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) }
        }
    }

    /// Decrypts chunks in order and checks every tag. Not thread-safe: one stream, one owner.
    public final class Decryptor {
        private var state = crypto_secretstream_xchacha20poly1305_state()
        /// Whether the final chunk has been read.
        public private(set) var isFinished = false
        private var chunkIndex = 0

        /// Opens a stream from its header.
        /// - Throws: ``CryptoError`` with code `invalidHeader` for a header of the wrong size.
        public init(key: SymmetricKey, header: [UInt8]) throws {
            Sodium.ensureInitialised()
            guard header.count == SecretStream.headerByteCount else {
                throw CryptoError(
                    .invalidHeader,
                    "a secretstream header must be \(SecretStream.headerByteCount) bytes, got \(header.count)"
                )
            }
            guard crypto_secretstream_xchacha20poly1305_init_pull(&state, header, key.bytes) == 0 else {
                throw CryptoError(.invalidHeader, "the secretstream header was rejected")
            }
        }

        /// Decrypts and authenticates one chunk.
        /// - Returns: The plaintext; ``isFinished`` turns true after the final chunk.
        /// - Throws: ``CryptoError`` with code `decryptionFailed` when the chunk was altered, reordered or
        ///   encrypted under another key, and `streamFinished` when a chunk follows the final one.
        public func pull(_ ciphertext: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
            guard !isFinished else {
                throw CryptoError(.streamFinished, "data follows the final chunk of the encrypted stream")
            }
            guard ciphertext.count >= SecretStream.chunkOverhead else {
                throw CryptoError(.decryptionFailed, "chunk \(chunkIndex) is shorter than its authentication tag")
            }
            var plaintext = [UInt8](repeating: 0, count: ciphertext.count - SecretStream.chunkOverhead)
            var written: UInt64 = 0
            var tag: UInt8 = 0
            let status = crypto_secretstream_xchacha20poly1305_pull(
                &state, &plaintext, &written, &tag, ciphertext, UInt64(ciphertext.count),
                associatedData, UInt64(associatedData.count)
            )
            guard status == 0 else {
                throw CryptoError(
                    .decryptionFailed,
                    "chunk \(chunkIndex) failed authentication: the data was altered or the key is wrong"
                )
            }
            chunkIndex += 1
            isFinished = tag == UInt8(crypto_secretstream_xchacha20poly1305_TAG_FINAL)
            return plaintext
        }

        /// Confirms the stream ended with its final chunk.
        /// - Throws: ``CryptoError`` with code `truncatedStream` if it did not.
        public func finish() throws {
            guard isFinished else {
                throw CryptoError(
                    .truncatedStream,
                    "the encrypted stream ended after \(chunkIndex) chunks without its final chunk: it was truncated"
                )
            }
        }

        deinit {
            withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) }
        }
    }
}
