import LightboxCrypto

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
        self.binding = EncryptedFileFormat.binding(datasetID: datasetID, path: path)
        self.chunkSize = EncryptedFileFormat.chunkSize
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
    private let binding: [UInt8]
    private var decryptor: SecretStream.Decryptor?
    private var chunkSize = 0
    private var pending: [UInt8] = []
    private var chunkIndex = 0
    private let output: (UnsafeRawBufferPointer) throws -> Void

    init(key: SymmetricKey, datasetID: String, path: String, output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.key = key
        self.binding = EncryptedFileFormat.binding(datasetID: datasetID, path: path)
        self.output = output
    }

    func write(_ ciphertext: some Collection<UInt8>) throws {
        pending.append(contentsOf: ciphertext)
        if decryptor == nil {
            guard pending.count >= EncryptedFileFormat.headerByteCount else { return }
            let header = try EncryptedFileFormat.parseHeader(Array(pending[0..<EncryptedFileFormat.headerByteCount]))
            chunkSize = header.chunkSize
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
