import ContentAddressing

extension FuzzTarget {
    /// A CAR file (v1 or v2) as `lightbox ipfs import` and the gateway's `?format=car` read it, pushed in pieces;
    /// every DAG-PB block it holds is read as a UnixFS node.
    static let car = FuzzTarget(name: "car", summary: "a CARv1 or CARv2 stream") { input in
        var reader = CARReader()
        var offset = 0
        do {
            repeat {
                let piece = min(97, input.count - offset)
                reader.push(input[offset..<offset + piece])
                offset += piece
                while let block = try reader.nextBlock() {
                    require(block.cid.verifies(block.bytes), "block \(block.cid) does not match its CID")
                    if block.cid.codec == .dagPB { _ = try? UnixFSNode(block) }
                }
            } while offset < input.count
            try reader.finish()
        } catch {
            return .refused
        }
        return .accepted
    }

    /// A DAG-PB block, decoded as a UnixFS node; what decodes must encode back to a node that decodes the same.
    static let unixfs = FuzzTarget(name: "unixfs", summary: "a DAG-PB block holding UnixFS data") { input in
        let node: PBNode
        do {
            node = try PBNode(decoding: input)
        } catch {
            return .refused
        }
        let again = try? PBNode(decoding: node.encoded())
        require(again == node, "a decoded DAG-PB node does not survive encoding")
        do {
            let unixfs = try UnixFSNode(Block(cid: .v1(.dagPB, .sha256(input)), bytes: input))
            _ = unixfs.fileSize
        } catch {
            return .refused
        }
        return .accepted
    }

    /// A CID as text (any multibase the node reads) or, when that fails, as binary; what parses must print and parse
    /// back to the same CID.
    static let cid = FuzzTarget(name: "cid", summary: "a CID as text or bytes") { input in
        if let cid = try? CID(String(decoding: input, as: UTF8.self)) {
            require((try? CID(cid.description)) == cid, "\(cid) does not parse back from its text")
            require((try? CID(bytes: cid.bytes)) == cid, "\(cid) does not parse back from its bytes")
            return .accepted
        }
        if let cid = try? CID(bytes: input) {
            require(cid.bytes == input, "a binary CID keeps bytes other than it was read from")
            require((try? CID(cid.description)) == cid, "\(cid) does not parse back from its text")
            return .accepted
        }
        return .refused
    }
}
