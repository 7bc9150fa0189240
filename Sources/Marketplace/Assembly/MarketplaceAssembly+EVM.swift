public import AsyncHTTPClient
public import Ledger
public import Logging
public import Node
public import Persistence

extension MarketplaceAssembly {
    /// Where and how the node reaches its contracts on a chain.
    public struct ChainSettings: Sendable {
        public var rpcURL: String
        /// The chain id the endpoint must report; `nil`: the deployment's.
        public var chainID: UInt64?
        public var deployment: ContractAddresses
        public var confirmations: UInt64
        public var fees: FeePolicy

        public init(rpcURL: String, chainID: UInt64?, deployment: ContractAddresses, confirmations: UInt64, fees: FeePolicy) {
            self.rpcURL = rpcURL
            self.chainID = chainID
            self.deployment = deployment
            self.confirmations = confirmations
            self.fees = fees
        }
    }

    /// Opens the ledger on a chain: the node's account (`keys/node-account.key`) relays intents and pays the gas,
    /// its nonces reserved in `database` so that every process of the node can relay at once.
    /// - Throws: ``EVMError`` `.configuration` when the chain or the deployment does not fit the settings.
    public static func chainLedger(
        database: any Database, identity: NodeIdentity, chain: ChainSettings, http: HTTPClient, logger: Logger
    ) async throws -> EVMLedger {
        if let expected = chain.chainID, expected != chain.deployment.chainID {
            throw EVMError(.configuration, "ledger.evm.chain-id is \(expected), but the deployment file is for chain \(chain.deployment.chainID); deploy to chain \(expected) or fix the setting")
        }
        let rpc = EthereumRPC(transport: HTTPJSONRPCTransport(url: chain.rpcURL, http: http))
        let chainID = try await rpc.chainID()
        guard chainID == chain.deployment.chainID else {
            throw EVMError(.configuration, "the node at \(rpc.endpoint) serves chain \(chainID), but the deployment is on chain \(chain.deployment.chainID); point ledger.evm.rpc-url at the right chain")
        }
        let sender = TransactionSender(
            rpc: rpc, chainID: chainID, key: identity.accountKey, nonces: DatabaseNonceReservations(database: database, logger: logger),
            fees: chain.fees, confirmations: chain.confirmations, logger: logger)
        return try await EVMLedger.open(sender: sender, addresses: chain.deployment, database: database, logger: logger)
    }
}
