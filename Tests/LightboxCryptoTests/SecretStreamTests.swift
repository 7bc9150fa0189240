import LightboxCrypto
import Testing

@Suite("secretstream")
struct SecretStreamTests {
    private func encrypt(_ chunks: [[UInt8]], key: SymmetricKey) throws -> (header: [UInt8], chunks: [[UInt8]]) {
        let encryptor = SecretStream.Encryptor(key: key)
        var out: [[UInt8]] = []
        for (index, chunk) in chunks.enumerated() {
            out.append(try encryptor.push(chunk, isFinal: index == chunks.count - 1))
        }
        return (encryptor.header, out)
    }

    @Test("round-trips chunks of many sizes")
    func roundTrip() throws {
        let key = SymmetricKey.random()
        let chunks = [0, 1, 17, 65536, 3].map { SecureRandom.bytes(count: $0) }
        let (header, ciphertexts) = try encrypt(chunks, key: key)
        #expect(header.count == SecretStream.headerByteCount)
        #expect(ciphertexts.map(\.count) == chunks.map { $0.count + SecretStream.chunkOverhead })
        let decryptor = try SecretStream.Decryptor(key: key, header: header)
        let plaintexts = try ciphertexts.map { try decryptor.pull($0) }
        #expect(plaintexts == chunks)
        #expect(decryptor.isFinished)
        try decryptor.finish()
    }

    @Test("detects a flipped bit in any byte of a chunk")
    func everyByteIsAuthenticated() throws {
        let key = SymmetricKey.random()
        let (header, ciphertexts) = try encrypt([SecureRandom.bytes(count: 40), SecureRandom.bytes(count: 9)], key: key)
        for chunkIndex in ciphertexts.indices {
            for byteIndex in ciphertexts[chunkIndex].indices {
                var altered = ciphertexts
                altered[chunkIndex][byteIndex] ^= 0x80
                let decryptor = try SecretStream.Decryptor(key: key, header: header)
                #expect(throws: CryptoError.self) {
                    for chunk in altered { _ = try decryptor.pull(chunk) }
                }
            }
        }
    }

    @Test("fails on a wrong key, a reordered stream, truncation, and data after the end")
    func misuse() throws {
        let key = SymmetricKey.random()
        let (header, ciphertexts) = try encrypt([[1], [2], [3]], key: key)

        let wrongKey = try SecretStream.Decryptor(key: .random(), header: header)
        #expect(throws: CryptoError.self) { try wrongKey.pull(ciphertexts[0]) }

        let reordered = try SecretStream.Decryptor(key: key, header: header)
        #expect(throws: CryptoError.self) { try reordered.pull(ciphertexts[1]) }

        let truncated = try SecretStream.Decryptor(key: key, header: header)
        _ = try truncated.pull(ciphertexts[0])
        _ = try truncated.pull(ciphertexts[1])
        let error = #expect(throws: CryptoError.self) { try truncated.finish() }
        #expect(error?.code == .truncatedStream)

        let complete = try SecretStream.Decryptor(key: key, header: header)
        for chunk in ciphertexts { _ = try complete.pull(chunk) }
        #expect(throws: CryptoError.self) { try complete.pull(ciphertexts[2]) }

        #expect(throws: CryptoError.self) { try SecretStream.Decryptor(key: key, header: [0, 1]) }
    }

    @Test("refuses to push after the final chunk")
    func pushAfterFinal() throws {
        let encryptor = SecretStream.Encryptor(key: .random())
        _ = try encryptor.push([1], isFinal: true)
        #expect(throws: CryptoError.self) { try encryptor.push([2]) }
    }
}
