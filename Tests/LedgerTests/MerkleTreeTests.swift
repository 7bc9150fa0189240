import Ledger
import LightboxCrypto
import Testing

/// RFC 9162 hashing and proofs, against the reference tree of transparency-dev/merkle's test data.
@Suite("Merkle tree (RFC 9162)")
struct MerkleTreeTests {
    static let entries: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { [UInt8](hexString: $0)! }
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    static let leaves = entries.map(MerkleTree.leafHash)

    @Test("tree heads for every size from 0 to 8 equal the reference roots")
    func roots() {
        for size in 0...8 {
            #expect(MerkleTree.root(Self.leaves[0..<size]).hexString == Self.roots[size], "size \(size)")
        }
    }

    @Test("every inclusion proof verifies against the reference root, and fails for another leaf, index or root")
    func inclusion() throws {
        for size in 1...8 {
            let root = [UInt8](hexString: Self.roots[size])!
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, leaves: Self.leaves[0..<size])
                #expect(MerkleTree.verifyInclusion(leafHash: Self.leaves[index], index: index, treeSize: size, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leafHash: Self.leaves[(index + 1) % 8], index: index, treeSize: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leafHash: Self.leaves[index], index: (index + 1) % size, treeSize: size, proof: proof, root: root))
                    #expect(!MerkleTree.verifyInclusion(leafHash: Self.leaves[index], index: index, treeSize: size, proof: proof + [root], root: root))
                }
                #expect(!MerkleTree.verifyInclusion(leafHash: Self.leaves[index], index: index, treeSize: size, proof: proof, root: MerkleTree.emptyRoot))
            }
        }
        // RFC 9162's example: in a tree of 7, leaf 0's path is [b, h, l] (the hashes of leaf 1, [2,4) and [4,7)).
        let proof = try MerkleTree.inclusionProof(index: 0, leaves: Self.leaves[0..<7])
        #expect(proof == [Self.leaves[1], MerkleTree.root(Self.leaves[2..<4]), MerkleTree.root(Self.leaves[4..<7])])
        #expect(throws: LedgerError(.invalidProofRequest, "")) { try MerkleTree.inclusionProof(index: 3, leaves: Self.leaves[0..<3]) }
    }

    @Test("every consistency proof between reference trees verifies; tampered ones fail")
    func consistency() throws {
        for newSize in 1...8 {
            for oldSize in 1...newSize {
                let proof = try MerkleTree.consistencyProof(oldSize: oldSize, leaves: Self.leaves[0..<newSize])
                let oldRoot = [UInt8](hexString: Self.roots[oldSize])!
                let newRoot = [UInt8](hexString: Self.roots[newSize])!
                #expect(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof),
                        "\(oldSize) → \(newSize)")
                if oldSize < newSize {
                    #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: newRoot, newRoot: newRoot, proof: proof))
                    var altered = proof
                    altered[altered.count - 1][0] ^= 1
                    #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: altered))
                }
            }
        }
        // RFC 9162's example: from 3 to 7 entries the proof is [c, d, g, l].
        let proof = try MerkleTree.consistencyProof(oldSize: 3, leaves: Self.leaves[0..<7])
        #expect(proof == [Self.leaves[2], Self.leaves[3], MerkleTree.root(Self.leaves[0..<2]), MerkleTree.root(Self.leaves[4..<7])])
    }
}
