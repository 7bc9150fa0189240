/// Writes a CARv1 file while a DAG is being built, when the root is known only at the end.
///
/// Space for the header is reserved at the start (its length depends only on the root CID's length, which the
/// caller knows from the import options), sections are appended as blocks arrive, and ``finish(root:)`` writes the
/// header into the reserved space and moves the file into place. Blocks are written once each, in arrival order
/// (children before parents); a failure leaves no file behind.
public final class CARFileWriter: BlockSink {
    private let file: AtomicFileWriter
    private let reservedRootLength: Int
    private var written = Set<[UInt8]>()

    /// Starts a CAR at `path` for a root CID of `rootCIDLength` bytes (34 for CIDv0, 36 for sha2-256 CIDv1).
    public init(path: String, rootCIDLength: Int) throws(ContentAddressingError) {
        self.file = try AtomicFileWriter(path: path)
        self.reservedRootLength = rootCIDLength
        try file.write([UInt8](repeating: 0, count: Self.headerLength(rootCIDLength: rootCIDLength)))
    }

    /// Appends a block's section, once per distinct block.
    public func put(_ block: Block) throws {
        guard written.insert(block.cid.multihash.digest).inserted else { return }
        try file.write(CARSection.encode(block))
    }

    /// Writes the header naming `root` and moves the file into place.
    public func finish(root: CID) throws(ContentAddressingError) {
        guard root.bytes.count == reservedRootLength else {
            abandon()
            throw ContentAddressingError(
                .invalidCAR, "the root \(root) is \(root.bytes.count) bytes, not the \(reservedRootLength) reserved")
        }
        try file.write(CARHeader(roots: [root]).encoded(), at: 0)
        try file.commit()
    }

    /// Removes the partial file.
    public func abandon() { file.abandon() }

    static func headerLength(rootCIDLength: Int) -> Int {
        let placeholder = CID.v1(.raw, Multihash.sha256([]))
        let differs = rootCIDLength - placeholder.bytes.count
        return CARHeader(roots: [placeholder]).encoded().count + differs
    }
}

/// One CARv1 section: `varint(len(CID) + len(block)) ‖ CID ‖ block`.
public enum CARSection {
    /// The section bytes for a block.
    public static func encode(_ block: Block) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(block.bytes.count + block.cid.bytes.count + 4)
        Varint.append(UInt64(block.cid.bytes.count + block.bytes.count), to: &out)
        out += block.cid.bytes
        out += block.bytes
        return out
    }
}
