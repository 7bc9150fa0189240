public import LightboxCrypto

/// Reads of the contracts' own state with `eth_call`: what the chain holds that no event carries in full (balances,
/// nonces, the deployment's parameters).
public struct ContractReads: Sendable {
    public let rpc: EthereumRPC
    public let addresses: ContractAddresses

    public init(rpc: EthereumRPC, addresses: ContractAddresses) {
        self.rpc = rpc
        self.addresses = addresses
    }

    /// Calls a view function and returns its outputs.
    public func view(_ contract: LightboxContract, _ name: String, _ arguments: [ABIValue] = [], at tag: BlockTag = .latest) async throws(EVMError) -> [ABIValue] {
        let function = try ContractArtifact.of(contract).abi.function(name)
        let output = try await rpc.call(CallRequest(to: addresses.address(of: contract), data: try function.encodeCall(arguments)), at: tag)
        return try function.decodeOutput(output)
    }

    /// The account's next intent nonce at `contract`.
    public func intentNonce(of account: EthereumAddress, at contract: LightboxContract) async throws(EVMError) -> UInt64 {
        try await view(contract, "intentNonces", [.address(account)])[0].asUInt64()
    }

    /// An ERC-20 read of the payment token (any ERC-20: only the standard functions).
    public func token(_ name: String, _ arguments: [ABIValue]) async throws(EVMError) -> UInt128 {
        try await view(.devToken, name, arguments)[0].asUInt128()
    }

    /// The payment token's EIP-712 domain (EIP-5267 `eip712Domain()`), which its EIP-2612 permits are signed under.
    public func permitDomain() async throws(EVMError) -> TokenPermit.Domain {
        let fields = try await view(.devToken, "eip712Domain")
        return TokenPermit.Domain(name: try fields[1].asString(), version: try fields[2].asString(), chainID: try fields[3].asUInt64(),
                                  token: try fields[4].asAddress())
    }

    /// Governance as the contracts hold it: the fee, the treasury and the arbiters (QA signers are not enumerable on
    /// chain; the index folds them from their events).
    func governance() async throws(EVMError) -> GovernanceRecord {
        let fee = try await view(.governance, "platformFeeBps")[0].asUInt64()
        let treasury = try await view(.governance, "treasury")[0].asAddress()
        let arbiters = try await view(.governance, "arbiters")[0].asList().map { (value) throws(EVMError) in try value.asAddress() }
        let supply = try await token("totalSupply", [])
        guard let feeBps = try? BasisPoints(fee) else { throw EVMError(.malformedResponse, "the Governance contract's fee of \(fee) basis points is above 10000") }
        return GovernanceRecord(platformFeeBps: feeBps, treasury: treasury, arbiters: Set(arbiters), qaKeys: [],
                                supply: TokenAmount(units: supply), disputesOpened: 0)
    }

    /// The deployment's parameters, as the embedded ledger's: its identity (`evm-<chain id>-<escrow>`), governance
    /// (the Governance contract's owner), fees and periods.
    func parameters() async throws -> LedgerParameters {
        let owner = try await view(.governance, "owner")[0].asAddress()
        let governance = try await self.governance()
        let fee = try await view(.escrow, "arbitrationFee")[0].asUInt128()
        let delivery = try await view(.escrow, "deliveryPeriod")[0].asUInt64()
        let acceptance = try await view(.escrow, "acceptancePeriod")[0].asUInt64()
        let evidence = try await view(.escrow, "evidencePeriod")[0].asUInt64()
        var faucetLimit = TokenAmount.zero, accountLimit: TokenAmount? = nil
        if addresses.developmentToken {
            faucetLimit = TokenAmount(units: try await view(.devToken, "FAUCET_LIMIT")[0].asUInt128())
            accountLimit = TokenAmount(units: try await view(.devToken, "ACCOUNT_LIMIT")[0].asUInt128())
        }
        return try LedgerParameters(
            ledgerID: "evm-\(addresses.chainID)-\(addresses.escrow.key)", chainID: addresses.chainID, governance: owner,
            treasury: governance.treasury, platformFeeBps: UInt64(governance.platformFeeBps.value), arbitrationFee: TokenAmount(units: fee),
            deliveryPeriod: delivery, acceptancePeriod: acceptance, evidencePeriod: evidence, devMode: addresses.developmentToken,
            faucetLimit: faucetLimit, faucetAccountLimit: accountLimit, arbiters: Array(governance.arbiters))
    }
}
