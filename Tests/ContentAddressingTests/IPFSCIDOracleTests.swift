import ContentAddressing
import Foundation
import Testing

/// Debian's `ipfs_cid` (its CIDv0 equals `ipfs add`'s default) as an independent oracle on random files.
@Suite("Agreement with ipfs_cid", .serialized)
struct IPFSCIDOracleTests {
    static let oracle = "/usr/bin/ipfs_cid"

    static func oracleCID(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: oracle)
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: String]
        return try #require(object?["CIDv0"])
    }

    @Test("ipfs_cid is installed (ops/install-deps --test installs the Debian package ipfs-cid)")
    func oracleInstalled() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.oracle))
    }

    @Test(
        "random files from 0 bytes to 300 MiB, on every chunk and link-count boundary",
        arguments: [
            0, 1, 1000, 262_143, 262_144, 262_145, 2 * 262_144, 173 * 262_144 + 5, 174 * 262_144 - 1,
            174 * 262_144, 174 * 262_144 + 1, 175 * 262_144 + 77, 12_345_678, 300 << 20,
        ])
    func randomFiles(size: Int) throws {
        let directory = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/random"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var remaining = size
        while remaining > 0 {
            let count = min(remaining, 8 << 20)
            handle.write(Data(KuboTestData.bytes(count, seed: UUID().uuidString)))
            remaining -= count
        }
        try handle.close()
        let ours = try UnixFSImporter(options: .kuboDefault).importPath(path, into: DiscardingBlockSink()).cid.description
        #expect(ours == (try Self.oracleCID(path)), "size \(size)")
    }
}
