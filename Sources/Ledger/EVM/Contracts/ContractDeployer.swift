public import LightboxCrypto

/// Deploys Lightbox's contracts from their committed artifacts and wires them together, as `contracts/deploy.py`
/// does: the payment token (an existing ERC-20, or the development token on a dev chain), Governance, the registry
/// and the Escrow; Governance attached to the Escrow; QA signers registered; the wiring read back and checked.
public struct ContractDeployer: Sendable {
    public struct Options: Sendable {
        /// The ERC-20 the marketplace takes; `nil` deploys the development token (allowed only with `development`).
        public var paymentToken: EthereumAddress?
        public var development: Bool
        /// Where platform fees go (default: the deployer).
        public var treasury: EthereumAddress?
        public var platformFeeBps: UInt64 = 250
        public var arbitrationFee: UInt128 = 5 * 1_000_000_000_000_000_000
        public var deliveryPeriod: UInt64 = 86_400
        public var acceptancePeriod: UInt64 = 259_200
        public var evidencePeriod: UInt64 = 172_800
        public var faucetLimit: UInt128 = 10_000 * 1_000_000_000_000_000_000
        public var faucetAccountLimit: UInt128 = 100_000 * 1_000_000_000_000_000_000
        /// QA keys whose attestations the registry accepts.
        public var qaSigners: [EthereumAddress] = []
        /// Arbiters to register.
        public var arbiters: [EthereumAddress] = []
        /// Accounts that may mint the development token (a node's account serving its faucet); only when it is deployed.
        public var minters: [EthereumAddress] = []

        public init(paymentToken: EthereumAddress? = nil, development: Bool = false) {
            self.paymentToken = paymentToken
            self.development = development
        }
    }

    let sender: TransactionSender

    public init(sender: TransactionSender) {
        self.sender = sender
    }

    /// - Throws: ``EVMError`` naming the step that failed (`.configuration` for options that cannot work on this chain).
    public func deploy(_ options: Options) async throws(EVMError) -> ContractAddresses {
        let rpc = sender.rpc
        guard options.platformFeeBps <= 5_000 else { throw EVMError(.configuration, "the platform fee is at most 5000 basis points (50 %)") }
        guard options.paymentToken != nil || options.development else {
            throw EVMError(.configuration, "name the ERC-20 the marketplace takes (--payment-token); only a development deployment (--dev) deploys the development token")
        }
        guard try await rpc.balance(of: sender.account) > 0 else {
            throw EVMError(.configuration, "the deployer \(sender.account) has no ether on chain \(sender.chainID) to pay for gas; fund it first")
        }
        let token: EthereumAddress
        var firstBlock: UInt64?
        if let existing = options.paymentToken {
            guard try await !rpc.code(at: existing).isEmpty else {
                throw EVMError(.configuration, "no contract at the payment token address \(existing) on chain \(sender.chainID)")
            }
            token = existing
        } else {
            (token, firstBlock) = try await deploy(.devToken, [.uint(options.faucetLimit), .uint(options.faucetAccountLimit)])
        }
        let treasury = options.treasury ?? sender.account
        let (governance, governanceBlock) = try await deploy(.governance, [.uint(UInt128(options.platformFeeBps)), .address(treasury)])
        let (registry, _) = try await deploy(.registry, [.address(governance), .address(token)])
        let (escrow, _) = try await deploy(.escrow, [
            .address(governance), .address(registry), .address(token), .uint(options.arbitrationFee),
            .uint(UInt128(options.deliveryPeriod)), .uint(UInt128(options.acceptancePeriod)), .uint(UInt128(options.evidencePeriod)),
        ])
        let governanceABI = ContractArtifact.of(.governance).abi
        try await transact(governance, governanceABI, "attachEscrow", [.address(escrow)])
        for signer in options.qaSigners {
            try await transact(governance, governanceABI, "setQASigner", [.address(signer), .bool(true)])
        }
        for arbiter in options.arbiters {
            try await transact(governance, governanceABI, "setArbiter", [.address(arbiter), .bool(true)])
        }
        if options.paymentToken == nil {
            for minter in options.minters {
                try await transact(token, ContractArtifact.of(.devToken).abi, "set_minter", [.address(minter), .bool(true)])
            }
        }
        let checks: [(EthereumAddress, LightboxContract, String, EthereumAddress)] = [
            (registry, .registry, "GOVERNANCE", governance), (escrow, .escrow, "REGISTRY", registry),
            (escrow, .escrow, "PAYMENT_TOKEN", token), (escrow, .escrow, "GOVERNANCE", governance),
            (governance, .governance, "escrow", escrow),
        ]
        for (contract, kind, getter, expected) in checks {
            let function = try ContractArtifact.of(kind).abi.function(getter)
            let output = try await rpc.call(CallRequest(to: contract, data: try function.encodeCall([])))
            let actual = try function.decodeOutput(output).first?.asAddress()
            guard actual == expected else {
                throw EVMError(.configuration, "\(kind.rawValue).\(getter) at \(contract) is \(actual.map(\.description) ?? "nothing"), expected \(expected): the deployment is not wired as it should be")
            }
        }
        return ContractAddresses(chainID: sender.chainID, paymentToken: token, governance: governance, registry: registry,
                                 escrow: escrow, owner: sender.account, treasury: treasury,
                                 developmentToken: options.paymentToken == nil, deploymentBlock: firstBlock ?? governanceBlock)
    }

    private func deploy(_ contract: LightboxContract, _ arguments: [ABIValue]) async throws(EVMError) -> (EthereumAddress, UInt64) {
        let data = try ContractArtifact.of(contract).deploymentData(arguments)
        let receipt = try await sender.send(to: nil, data: data, what: "deploying \(contract.rawValue)")
        guard let address = receipt.contractAddress else {
            throw EVMError(.malformedResponse, "deploying \(contract.rawValue): the receipt names no contract address")
        }
        guard try await !sender.rpc.code(at: address).isEmpty else {
            throw EVMError(.configuration, "deploying \(contract.rawValue): no code at \(address) after deployment")
        }
        return (address, receipt.blockNumber)
    }

    private func transact(_ contract: EthereumAddress, _ abi: ContractABI, _ name: String, _ arguments: [ABIValue]) async throws(EVMError) {
        let function = try abi.function(name)
        _ = try await sender.send(to: contract, data: try function.encodeCall(arguments), what: "\(name)")
    }
}
