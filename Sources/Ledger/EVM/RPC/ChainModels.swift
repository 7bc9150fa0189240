public import LightboxCrypto

/// What a block header tells a client: where it is, what it follows, when it was made, its base fee.
public struct BlockHeader: Sendable, Equatable {
    public let number: UInt64
    public let hash: [UInt8]
    public let parentHash: [UInt8]
    public let timestamp: UInt64
    public let baseFeePerGas: UInt128?

    init(json: RPCJSON) throws(EVMError) {
        number = try json.member("number", of: "block").quantity("block number")
        hash = try json.member("hash", of: "block").data("block hash")
        parentHash = try json.member("parentHash", of: "block").data("parent hash")
        timestamp = try json.member("timestamp", of: "block").quantity("block timestamp")
        baseFeePerGas = try json["baseFeePerGas"].map { (fee) throws(EVMError) in try fee.quantity("base fee") }
    }
}

/// An event log.
public struct EventLog: Sendable, Equatable {
    public let address: EthereumAddress
    public let topics: [[UInt8]]
    public let data: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: [UInt8]
    public let transactionHash: [UInt8]
    public let logIndex: UInt64
    /// Set by a node on logs of a block that a reorganisation dropped.
    public let removed: Bool
    /// The block's timestamp, where the node gives it (geth 1.16+, Besu, Erigon; execution-apis #639).
    public let blockTimestamp: UInt64?

    init(json: RPCJSON) throws(EVMError) {
        guard let address = try? EthereumAddress(bytes: try json.member("address", of: "log").data("log address")) else {
            throw EVMError(.malformedResponse, "a log's address is not 20 bytes")
        }
        self.address = address
        topics = try json.member("topics", of: "log").array("log topics").map { (topic) throws(EVMError) in try topic.data("topic") }
        data = try json.member("data", of: "log").data("log data")
        blockNumber = try json.member("blockNumber", of: "log").quantity("log block number")
        blockHash = try json.member("blockHash", of: "log").data("log block hash")
        transactionHash = try json.member("transactionHash", of: "log").data("log transaction hash")
        logIndex = try json.member("logIndex", of: "log").quantity("log index")
        removed = json["removed"] == .bool(true)
        blockTimestamp = try json["blockTimestamp"].flatMap { $0.isNull ? nil : $0 }.map { (time) throws(EVMError) in try time.quantity("log block timestamp") }
    }
}

/// A mined transaction's receipt.
public struct TransactionReceipt: Sendable, Equatable {
    public let transactionHash: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: [UInt8]
    /// Whether it succeeded; a reverted transaction is mined (and pays for its gas) with status 0.
    public let succeeded: Bool
    public let gasUsed: UInt64
    public let effectiveGasPrice: UInt128?
    public let contractAddress: EthereumAddress?
    public let logs: [EventLog]

    init(json: RPCJSON) throws(EVMError) {
        transactionHash = try json.member("transactionHash", of: "receipt").data("transaction hash")
        blockNumber = try json.member("blockNumber", of: "receipt").quantity("receipt block number")
        blockHash = try json.member("blockHash", of: "receipt").data("receipt block hash")
        succeeded = try json.member("status", of: "receipt").quantity(as: UInt8.self, "receipt status") == 1
        gasUsed = try json.member("gasUsed", of: "receipt").quantity("gas used")
        effectiveGasPrice = try json["effectiveGasPrice"].map { (price) throws(EVMError) in try price.quantity("effective gas price") }
        if let created = json["contractAddress"], !created.isNull {
            contractAddress = try? EthereumAddress(bytes: try created.data("contract address"))
        } else {
            contractAddress = nil
        }
        logs = try json.member("logs", of: "receipt").array("receipt logs").map { (log) throws(EVMError) in try EventLog(json: log) }
    }
}

/// `eth_feeHistory`: base fees of a range of blocks (and the next one), and the tips paid at some percentiles.
public struct FeeHistory: Sendable, Equatable {
    public let oldestBlock: UInt64
    /// One entry a block of the range, then the next block's base fee.
    public let baseFeePerGas: [UInt128]
    /// For each block, the tip at each requested percentile.
    public let reward: [[UInt128]]

    init(json: RPCJSON) throws(EVMError) {
        oldestBlock = try json.member("oldestBlock", of: "fee history").quantity("oldest block")
        baseFeePerGas = try json.member("baseFeePerGas", of: "fee history").array("base fees")
            .map { (fee) throws(EVMError) in try fee.quantity("base fee") }
        reward = try (json["reward"] ?? .array([])).array("rewards").map { (row) throws(EVMError) in
            try row.array("reward row").map { (tip) throws(EVMError) in try tip.quantity("reward") }
        }
    }
}

/// A call or gas estimate: who asks, which contract, what data.
public struct CallRequest: Sendable, Equatable {
    public var from: EthereumAddress?
    public var to: EthereumAddress?
    public var data: [UInt8]
    public var value: UInt128

    public init(from: EthereumAddress? = nil, to: EthereumAddress?, data: [UInt8], value: UInt128 = 0) {
        self.from = from
        self.to = to
        self.data = data
        self.value = value
    }

    var json: RPCJSON {
        var object: [String: RPCJSON] = ["data": .data(data)]
        if let from { object["from"] = .string(from.description) }
        if let to { object["to"] = .string(to.description) }
        if value > 0 { object["value"] = .quantity(value) }
        return .object(object)
    }
}

/// Which block a read is against.
public enum BlockTag: Sendable, Equatable {
    case latest, pending, safe, finalized
    case number(UInt64)

    var json: RPCJSON {
        switch self {
        case .latest: .string("latest")
        case .pending: .string("pending")
        case .safe: .string("safe")
        case .finalized: .string("finalized")
        case .number(let number): .quantity(number)
        }
    }
}
