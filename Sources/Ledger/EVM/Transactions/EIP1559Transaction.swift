public import LightboxCrypto

/// A type-2 (EIP-1559) transaction: what the node's account sends to relay intents and deploy contracts.
public struct EIP1559Transaction: Sendable, Equatable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: UInt128
    public var maxFeePerGas: UInt128
    public var gasLimit: UInt64
    /// `nil` creates a contract from `data`.
    public var to: EthereumAddress?
    public var value: UInt128
    public var data: [UInt8]
    /// `(address, storage keys)` pairs the transaction declares it touches.
    public var accessList: [(address: EthereumAddress, storageKeys: [[UInt8]])]

    public init(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt128, maxFeePerGas: UInt128, gasLimit: UInt64,
                to: EthereumAddress?, value: UInt128 = 0, data: [UInt8] = [],
                accessList: [(address: EthereumAddress, storageKeys: [[UInt8]])] = []) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.fields == rhs.fields }

    /// The nine fields in their RLP order.
    private var fields: [RLP] {
        [
            .uint(chainID), .uint(nonce), .uint(maxPriorityFeePerGas), .uint(maxFeePerGas), .uint(gasLimit),
            .bytes(to?.bytes ?? []), .uint(value), .bytes(data),
            .list(accessList.map { .list([.bytes($0.address.bytes), .list($0.storageKeys.map(RLP.bytes))]) }),
        ]
    }

    /// What the sender signs: Keccak-256 of 0x02 ‖ rlp(fields).
    public var signingHash: [UInt8] { Keccak256.hash([0x02] + RLP.list(fields).encoded) }

    /// Signs the transaction.
    public func signed(by key: Secp256k1.PrivateKey) -> SignedTransaction {
        let signature = try! key.sign(digest: signingHash)  // the signing hash is always 32 bytes
        let raw = [0x02] + RLP.list(fields + [.uint(signature.recoveryID), .bytes(signature.r.strippingLeadingZeros),
                                              .bytes(signature.s.strippingLeadingZeros)]).encoded
        return SignedTransaction(transaction: self, raw: raw, from: EthereumAddress(publicKey: key.publicKey))
    }

    /// Parses a signed type-2 transaction and recovers its sender.
    /// - Throws: ``EVMError`` `.encoding` for anything but a well-formed, validly signed type-2 transaction.
    public static func decode(raw: [UInt8]) throws(EVMError) -> SignedTransaction {
        guard raw.first == 0x02 else { throw EVMError(.encoding, "not a type-2 (EIP-1559) transaction") }
        let items = try RLP(decoding: Array(raw.dropFirst())).listItems()
        guard items.count == 12 else { throw EVMError(.encoding, "a type-2 transaction has 12 fields, this has \(items.count)") }
        let toBytes = try items[5].byteString()
        guard toBytes.isEmpty || toBytes.count == 20 else { throw EVMError(.encoding, "a transaction's `to` must be 20 bytes or empty") }
        var accessList = [(address: EthereumAddress, storageKeys: [[UInt8]])]()
        for entry in try items[8].listItems() {
            let pair = try entry.listItems()
            guard pair.count == 2, let address = try? EthereumAddress(bytes: try pair[0].byteString()) else {
                throw EVMError(.encoding, "an access-list entry must be [address, [keys]]")
            }
            accessList.append((address, try pair[1].listItems().map { (key) throws(EVMError) in try key.byteString() }))
        }
        let transaction = EIP1559Transaction(
            chainID: try items[0].integer(), nonce: try items[1].integer(), maxPriorityFeePerGas: try items[2].integer(),
            maxFeePerGas: try items[3].integer(), gasLimit: try items[4].integer(),
            to: toBytes.isEmpty ? nil : try! EthereumAddress(bytes: toBytes), value: try items[6].integer(),
            data: try items[7].byteString(), accessList: accessList)
        let yParity: UInt8 = try items[9].integer()
        let r = try items[10].byteString(), s = try items[11].byteString()
        guard yParity <= 1, r.count <= 32, s.count <= 32 else { throw EVMError(.encoding, "a transaction's signature is malformed") }
        let signature = Secp256k1.RecoverableSignature(r: r.leftPadded(to: 32), s: s.leftPadded(to: 32), recoveryID: yParity)
        guard let publicKey = try? signature.recoverPublicKey(digest: transaction.signingHash) else {
            throw EVMError(.encoding, "no sender can be recovered from the transaction's signature")
        }
        return SignedTransaction(transaction: transaction, raw: raw, from: EthereumAddress(publicKey: publicKey))
    }
}

/// A signed transaction, ready for `eth_sendRawTransaction`.
public struct SignedTransaction: Sendable, Equatable {
    public let transaction: EIP1559Transaction
    /// 0x02 ‖ rlp(fields, yParity, r, s).
    public let raw: [UInt8]
    public let from: EthereumAddress

    /// The transaction hash: Keccak-256 of the raw bytes.
    public var hash: [UInt8] { Keccak256.hash(raw) }

    /// The address a creation transaction deploys to: the last 20 bytes of Keccak-256(rlp([sender, nonce])).
    public var createdContractAddress: EthereumAddress? {
        guard transaction.to == nil else { return nil }
        return try! EthereumAddress(bytes: Array(Keccak256.hash(RLP.list([.bytes(from.bytes), .uint(transaction.nonce)]).encoded).suffix(20)))
    }
}

extension Array where Element == UInt8 {
    var strippingLeadingZeros: [UInt8] { Array(drop { $0 == 0 }) }

    func leftPadded(to size: Int) -> [UInt8] {
        count >= size ? self : [UInt8](repeating: 0, count: size - count) + self
    }
}
