public import LightboxCrypto

/// Encrypts one file's bytes into the ``EncryptedFileFormat``, taking plaintext in pieces of any size and handing
/// out ciphertext as it is produced.
final class StreamingEncryptor {
    private let encryptor: SecretStream.Encryptor
    private let binding: [UInt8]
    private let chunkSize: Int
    private var pending: [UInt8] = []
    private let output: ([UInt8]) throws -> Void

    init(key: SymmetricKey, datasetID: String, path: String, output: @escaping ([UInt8]) throws -> Void) throws {
        self.encryptor = SecretStream.Encryptor(key: key)
        self.chunkSize = EncryptedFileFormat.chunkSize
        self.binding = EncryptedFileFormat.binding(datasetID: datasetID, path: path, chunkSize: chunkSize)
        self.output = output
        pending.reserveCapacity(chunkSize)
        try output(EncryptedFileFormat.header(chunkSize: chunkSize, streamHeader: encryptor.header))
    }

    func write(_ plaintext: UnsafeRawBufferPointer) throws {
        var start = 0
        while start < plaintext.count {
            // A full chunk is pushed only once more data arrives, so the last chunk can be marked final.
            if pending.count == chunkSize { try push(isFinal: false) }
            let take = min(chunkSize - pending.count, plaintext.count - start)
            pending.append(contentsOf: plaintext[start..<start + take])
            start += take
        }
    }

    func finish() throws { try push(isFinal: true) }

    private func push(isFinal: Bool) throws {
        try output(try encryptor.push(pending, isFinal: isFinal, associatedData: binding))
        pending.removeAll(keepingCapacity: true)
    }
}

/// Decrypts ``EncryptedFileFormat`` bytes arriving in pieces of any size, checking each chunk's tag as soon as
/// the chunk is complete and failing on the first bad one.
final class StreamingDecryptor {
    private let key: SymmetricKey
    private let datasetID: String
    private let path: String
    private var binding: [UInt8] = []
    private var decryptor: SecretStream.Decryptor?
    private var chunkSize = 0
    private var pending: [UInt8] = []
    private var chunkIndex = 0
    private let output: (UnsafeRawBufferPointer) throws -> Void

    init(key: SymmetricKey, datasetID: String, path: String, output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.key = key
        self.datasetID = datasetID
        self.path = path
        self.output = output
    }

    func write(_ ciphertext: some Collection<UInt8>) throws {
        pending.append(contentsOf: ciphertext)
        if decryptor == nil {
            guard pending.count >= EncryptedFileFormat.headerByteCount else { return }
            let header = try EncryptedFileFormat.parseHeader(Array(pending[0..<EncryptedFileFormat.headerByteCount]))
            chunkSize = header.chunkSize
            binding = EncryptedFileFormat.binding(datasetID: datasetID, path: path, chunkSize: chunkSize)
            do {
                decryptor = try SecretStream.Decryptor(key: key, header: header.streamHeader)
            } catch {
                throw StorageError(.decryptionFailed, "the encrypted file's stream header is invalid")
            }
            pending.removeFirst(EncryptedFileFormat.headerByteCount)
        }
        let sealedChunk = chunkSize + SecretStream.chunkOverhead
        // A full-length chunk may still be the final one, so it is opened only once more bytes follow it.
        while pending.count > sealedChunk {
            try open(Array(pending[0..<sealedChunk]))
            pending.removeFirst(sealedChunk)
        }
    }

    func finish() throws {
        guard let decryptor else {
            throw StorageError(.decryptionFailed, "the encrypted file ends before its header is complete")
        }
        if !pending.isEmpty {
            try open(pending)
            pending = []
        }
        do {
            try decryptor.finish()
        } catch {
            throw StorageError(.decryptionFailed, "the encrypted file was cut short after chunk \(chunkIndex)")
        }
    }

    private func open(_ chunk: [UInt8]) throws {
        guard let decryptor else { return }
        let plaintext: [UInt8]
        do {
            plaintext = try decryptor.pull(chunk, associatedData: binding)
        } catch let error as CryptoError where error.code == .streamFinished {
            throw StorageError(.decryptionFailed, "data follows the final chunk of the encrypted file")
        } catch {
            throw StorageError(
                .decryptionFailed,
                "chunk \(chunkIndex + 1) of the encrypted file failed authentication: wrong key, wrong file, or altered")
        }
        chunkIndex += 1
        try plaintext.withUnsafeBytes { try output($0) }
    }
}

extension EncryptedFileFormat {
    /// Encrypts bytes held in memory (a small file, a manifest) into the format.
    public static func encrypt(_ plaintext: [UInt8], key: SymmetricKey, datasetID: String, path: String) throws -> [UInt8] {
        var out = [UInt8]()
        let encryptor = try StreamingEncryptor(key: key, datasetID: datasetID, path: path) { out += $0 }
        try plaintext.withUnsafeBytes { try encryptor.write($0) }
        try encryptor.finish()
        return out
    }

    /// Decrypts bytes held in memory, checking every chunk.
    /// - Throws: ``StorageError`` `.decryptionFailed` naming the first chunk that fails.
    public static func decrypt(_ ciphertext: [UInt8], key: SymmetricKey, datasetID: String, path: String) throws -> [UInt8] {
        var out = [UInt8]()
        let decryptor = StreamingDecryptor(key: key, datasetID: datasetID, path: path) { out += $0 }
        try decryptor.write(ciphertext)
        try decryptor.finish()
        return out
    }
}
