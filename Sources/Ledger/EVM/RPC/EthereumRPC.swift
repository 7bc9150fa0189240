public import LightboxCrypto

/// The standard `eth_*` methods Lightbox uses, typed. Nothing here needs a development chain: no `evm_*` methods,
/// no unlocked accounts, no auto-mining.
public struct EthereumRPC: Sendable {
    public let client: JSONRPCClient

    public init(client: JSONRPCClient) {
        self.client = client
    }

    public init(transport: any JSONRPCTransport) {
        client = JSONRPCClient(transport: transport)
    }

    public var endpoint: String { client.transport.endpoint }

    public func chainID() async throws(EVMError) -> UInt64 {
        try await client.call("eth_chainId").quantity("chain id")
    }

    public func blockNumber() async throws(EVMError) -> UInt64 {
        try await client.call("eth_blockNumber").quantity("block number")
    }

    /// The header of a block, `nil` if the node has none at that number.
    public func block(_ tag: BlockTag) async throws(EVMError) -> BlockHeader? {
        let json = try await client.call("eth_getBlockByNumber", [tag.json, .bool(false)])
        return json.isNull ? nil : try BlockHeader(json: json)
    }

    /// Headers of several blocks in one batch (`nil` where the node has none).
    public func blocks(_ numbers: [UInt64]) async throws(EVMError) -> [BlockHeader?] {
        let results = try await client.batch(numbers.map { ("eth_getBlockByNumber", [.quantity($0), .bool(false)]) })
        return try results.map { (result) throws(EVMError) in
            let json = try result.get()
            return json.isNull ? nil : try BlockHeader(json: json)
        }
    }

    public func balance(of address: EthereumAddress, at tag: BlockTag = .latest) async throws(EVMError) -> UInt128 {
        try await client.call("eth_getBalance", [.string(address.description), tag.json]).quantity("balance")
    }

    public func transactionCount(of address: EthereumAddress, at tag: BlockTag) async throws(EVMError) -> UInt64 {
        try await client.call("eth_getTransactionCount", [.string(address.description), tag.json]).quantity("transaction count")
    }

    public func code(at address: EthereumAddress, at tag: BlockTag = .latest) async throws(EVMError) -> [UInt8] {
        try await client.call("eth_getCode", [.string(address.description), tag.json]).data("code")
    }

    /// Runs a call without sending a transaction and returns its output.
    /// - Throws: ``EVMError`` `.reverted` with the revert data when it reverts.
    public func call(_ request: CallRequest, at tag: BlockTag = .latest) async throws(EVMError) -> [UInt8] {
        try await client.call("eth_call", [request.json, tag.json]).data("call output")
    }

    /// - Throws: ``EVMError`` `.reverted` when the transaction would revert.
    public func estimateGas(_ request: CallRequest) async throws(EVMError) -> UInt64 {
        try await client.call("eth_estimateGas", [request.json]).quantity("gas estimate")
    }

    public func feeHistory(blocks: Int, newest: BlockTag = .latest, percentiles: [Double]) async throws(EVMError) -> FeeHistory {
        let json = try await client.call("eth_feeHistory", [.quantity(UInt64(blocks)), newest.json, .array(percentiles.map(RPCJSON.number))])
        return try FeeHistory(json: json)
    }

    /// Sends a signed transaction and returns its hash.
    public func sendRawTransaction(_ raw: [UInt8]) async throws(EVMError) -> [UInt8] {
        try await client.call("eth_sendRawTransaction", [.data(raw)]).data("transaction hash")
    }

    /// The receipt, or `nil` while the transaction is pending (or unknown).
    public func transactionReceipt(_ hash: [UInt8]) async throws(EVMError) -> TransactionReceipt? {
        let json = try await client.call("eth_getTransactionReceipt", [.data(hash)])
        return json.isNull ? nil : try TransactionReceipt(json: json)
    }

    /// The input data of transactions, by hash, in one batch (`nil` for a transaction the node does not know).
    public func transactionInputs(_ hashes: [[UInt8]]) async throws(EVMError) -> [[UInt8]?] {
        let results = try await client.batch(hashes.map { ("eth_getTransactionByHash", [.data($0)]) })
        return try results.map { (result) throws(EVMError) in
            let json = try result.get()
            return json.isNull ? nil : try json.member("input", of: "transaction").data("transaction input")
        }
    }

    /// Logs of `addresses` in blocks `from` through `to`, optionally only those whose topic 0 is one of `topics`.
    public func logs(addresses: [EthereumAddress], from: UInt64, to: UInt64, topics: [[UInt8]]? = nil) async throws(EVMError) -> [EventLog] {
        var filter: [String: RPCJSON] = [
            "address": .array(addresses.map { .string($0.description) }),
            "fromBlock": .quantity(from), "toBlock": .quantity(to),
        ]
        if let topics { filter["topics"] = .array([.array(topics.map(RPCJSON.data))]) }
        return try await client.call("eth_getLogs", [.object(filter)]).array("logs")
            .map { (log) throws(EVMError) in try EventLog(json: log) }
    }
}
