public import LightboxCrypto

/// An embedded ledger's checkpoints anchored on a chain, in the `LogAnchor` contract: the node publishes its log's
/// size and root hash there from time to time, and anyone holding the log checks it against every anchored
/// checkpoint (``AnchoredLogCheck``). A node that rewrote its history could not make its log agree with them.
public struct LogAnchoring: Sendable {
    /// One anchored checkpoint.
    public struct Anchor: Sendable, Equatable {
        public let size: UInt64
        public let root: [UInt8]
        /// When the chain took it (the block's time, Unix seconds).
        public let time: UInt64

        public init(size: UInt64, root: [UInt8], time: UInt64) {
            self.size = size
            self.root = root
            self.time = time
        }
    }

    public let rpc: EthereumRPC
    public let contract: EthereumAddress
    private var abi: ContractABI { ContractArtifact.of(.logAnchor).abi }

    public init(rpc: EthereumRPC, contract: EthereumAddress) {
        self.rpc = rpc
        self.contract = contract
    }

    /// Deploys a `LogAnchor` for the log named `origin`, owned by the sender's account (the node's).
    public static func deploy(origin: String, sender: TransactionSender) async throws(EVMError) -> EthereumAddress {
        let data = try ContractArtifact.of(.logAnchor).deploymentData([.string(origin)])
        let receipt = try await sender.send(to: nil, data: data, what: "deploying LogAnchor")
        guard let address = receipt.contractAddress, try await !sender.rpc.code(at: address).isEmpty else {
            throw EVMError(.malformedResponse, "deploying LogAnchor: no contract at the address its receipt names")
        }
        return address
    }

    /// The log's origin line the anchor was made for.
    public func origin() async throws(EVMError) -> String {
        try await view("origin")[0].asString()
    }

    /// Every anchored checkpoint, oldest first.
    public func anchors() async throws(EVMError) -> [Anchor] {
        let count = try await view("anchor_count")[0].asUInt64()
        var anchors: [Anchor] = []
        for index in 0..<count {
            anchors.append(try Self.anchor(try await view("anchors", [.uint(UInt128(index))])))
        }
        return anchors
    }

    /// The last anchored checkpoint; nil before the first.
    public func latest() async throws(EVMError) -> Anchor? {
        let anchor = try Self.anchor(try await view("latest"))
        return anchor.size == 0 ? nil : anchor
    }

    /// Anchors a checkpoint of `size` entries with root hash `root`, from the sender's account (the contract's owner).
    /// - Throws: ``EVMError`` with the contract's reason when it refuses (not the owner, a size not beyond the last).
    public func publish(size: UInt64, root: [UInt8], sender: TransactionSender) async throws(EVMError) -> TransactionReceipt {
        let call = try abi.function("anchor").encodeCall([.uint(UInt128(size)), .fixedBytes(root)])
        return try await sender.send(to: contract, data: call, what: "anchoring the log at size \(size)")
    }

    private func view(_ name: String, _ arguments: [ABIValue] = []) async throws(EVMError) -> [ABIValue] {
        let function = try abi.function(name)
        return try function.decodeOutput(try await rpc.call(CallRequest(to: contract, data: try function.encodeCall(arguments))))
    }

    /// An `Anchor` struct as a getter returns it: one tuple, or its members.
    private static func anchor(_ outputs: [ABIValue]) throws(EVMError) -> Anchor {
        let fields = outputs.count == 1 ? try outputs[0].asList() : outputs
        guard fields.count == 3 else { throw EVMError(.malformedResponse, "an anchor has a size, a root and a time; got \(fields.count) values") }
        return Anchor(size: try fields[0].asUInt64(), root: try fields[1].asBytes(), time: try fields[2].asUInt64())
    }
}
