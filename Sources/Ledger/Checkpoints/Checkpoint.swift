import Foundation

/// A transparency-log checkpoint in the C2SP tlog-checkpoint format: the log's origin, its size and its RFC 9162
/// root hash, one per line, followed by optional extension lines; published as a signed note.
public struct Checkpoint: Sendable, Equatable {
    /// The log's unique name, e.g. `lightbox.example/ledger/1`.
    public let origin: String
    public let size: UInt64
    /// The 32-byte Merkle tree head.
    public let rootHash: [UInt8]
    /// Extension lines, without their newlines.
    public let extensions: [String]

    public init(origin: String, size: UInt64, rootHash: [UInt8], extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// The note text: `origin\nsize\nbase64(root)\n` plus extension lines.
    public var text: String {
        ([origin, String(size), Data(rootHash).base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint's note text.
    /// - Throws: ``LedgerError`` `.invalidCheckpoint` naming the line that is wrong.
    public init(text: String) throws(LedgerError) {
        guard text.hasSuffix("\n") else { throw LedgerError(.invalidCheckpoint, "a checkpoint must end in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, !lines[0].isEmpty else {
            throw LedgerError(.invalidCheckpoint, "a checkpoint needs an origin, a size and a root hash, one per line")
        }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw LedgerError(.invalidCheckpoint, "checkpoint size '\(lines[1].prefix(40))' is not a decimal number")
        }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw LedgerError(.invalidCheckpoint, "checkpoint root '\(lines[2].prefix(60))' is not a base64 SHA-256 hash")
        }
        guard !lines.dropFirst(3).contains(where: \.isEmpty) else {
            throw LedgerError(.invalidCheckpoint, "a checkpoint's extension lines may not be empty")
        }
        self.init(origin: lines[0], size: size, rootHash: [UInt8](root), extensions: Array(lines.dropFirst(3)))
    }
}
