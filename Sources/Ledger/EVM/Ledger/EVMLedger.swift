import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// The ledger on an EVM chain: Lightbox's contracts hold the listings, payments, licences and rulings; the node's
/// account relays the intents users sign (and pays the gas); the chain's events are indexed into the database, where
/// the records and the event feed are read. Works against any standard JSON-RPC node.
public final class EVMLedger: LedgerBackend {
    public let parameters: LedgerParameters
    public let addresses: ContractAddresses
    public let reads: ContractReads
    public let sender: TransactionSender
    public let indexer: ChainIndexer
    /// The payment token's EIP-712 domain, for the permits buyers sign with a Purchase; `nil` for a token that does
    /// not report it (EIP-5267), whose buyers approve the Escrow from their wallets instead.
    public let permitDomain: TokenPermit.Domain?
    let database: any Database
    let logger: Logger

    public var log: (any LedgerLog)? { nil }

    init(parameters: LedgerParameters, addresses: ContractAddresses, reads: ContractReads, sender: TransactionSender,
         indexer: ChainIndexer, permitDomain: TokenPermit.Domain?, database: any Database, logger: Logger) {
        self.parameters = parameters
        self.permitDomain = permitDomain
        self.addresses = addresses
        self.reads = reads
        self.sender = sender
        self.indexer = indexer
        self.database = database
        self.logger = logger
    }

    /// Connects to the deployment and checks it: the node's chain id must be the deployment's, and every contract
    /// must have code.
    /// - Throws: ``EVMError`` `.configuration` naming what does not fit, or the node's error.
    public static func open(sender: TransactionSender, addresses: ContractAddresses, database: any Database, logger: Logger) async throws -> EVMLedger {
        let rpc = sender.rpc
        let chainID = try await rpc.chainID()
        guard chainID == addresses.chainID, chainID == sender.chainID else {
            throw EVMError(.configuration, "the node at \(rpc.endpoint) serves chain \(chainID), but the ledger is configured for chain \(addresses.chainID) (ledger.evm.chain-id and the deployment file); point ledger.evm.rpc-url at the right chain")
        }
        for (name, address) in [("Governance", addresses.governance), ("DatasetRegistry", addresses.registry), ("Escrow", addresses.escrow), ("payment token", addresses.paymentToken)] {
            guard try await !rpc.code(at: address).isEmpty else {
                throw EVMError(.configuration, "no contract at the \(name) address \(address) on chain \(chainID): deploy with `lightbox ledger deploy` or fix the deployment file")
            }
        }
        let reads = ContractReads(rpc: rpc, addresses: addresses)
        let indexer = ChainIndexer(rpc: rpc, database: database, addresses: addresses, confirmations: sender.confirmations, logger: logger)
        return EVMLedger(parameters: try await reads.parameters(), addresses: addresses, reads: reads, sender: sender, indexer: indexer,
                         permitDomain: try? await reads.permitDomain(), database: database, logger: logger)
    }

    // MARK: Domains and nonces

    public func domain(for intentType: String) -> IntentDomain {
        let contract = IntentCalls.contract(for: intentType)
        return IntentDomain(chainID: addresses.chainID, verifyingContract: contract.map(addresses.address(of:)) ?? addresses.paymentToken)
    }

    public func nextNonce(of address: EthereumAddress, for intentType: String) async throws -> UInt64 {
        guard let contract = IntentCalls.contract(for: intentType) else { return 0 }
        return try await reads.intentNonce(of: address, at: contract)
    }

    public func intentNonces(of address: EthereumAddress, record: AccountRecord) async throws -> [EthereumAddress: UInt64] {
        var nonces: [EthereumAddress: UInt64] = [:]
        for (contract, type) in contractsWithAType { nonces[contract] = try await nextNonce(of: address, for: type) }
        return nonces
    }

    /// The nonce the account's next EIP-2612 permit must carry (the payment token's `nonces`).
    public func permitNonce(of address: EthereumAddress) async throws -> UInt64 {
        let nonce = try await reads.token("nonces", [.address(address)])
        guard let narrow = UInt64(exactly: nonce) else { throw EVMError(.malformedResponse, "the token's permit nonce \(nonce) is out of range") }
        return narrow
    }

    // MARK: Submitting

    public func submit(_ intents: [SignedIntent]) async throws -> [Result<LedgerReceipt, LedgerError>] {
        var results = [Result<LedgerReceipt, LedgerError>]()
        for signed in intents {
            let type = signed.intent.type
            if type == "Faucet" {
                results.append(try await faucet(signed))
                continue
            }
            guard signed.domain == domain(for: type) else {
                results.append(.failure(LedgerError(.wrongDomain, "the \(type) intent was signed for chain \(signed.domain.chainID) and contract \(signed.domain.verifyingContract), not chain \(addresses.chainID) and contract \(domain(for: type).verifyingContract)")))
                continue
            }
            let call: (contract: LightboxContract, data: [UInt8])
            do {
                call = try IntentCalls.relayed(signed)
            } catch {
                results.append(.failure(error))
                continue
            }
            if let permit = signed.permit, type != "Purchase" {
                // The permit goes to the token first (anyone may submit one); the intent then finds its allowance.
                do {
                    let data = try IntentCalls.permitCall(permit, owner: signed.intent.account, spender: addresses.escrow)
                    _ = try await sender.send(to: addresses.paymentToken, data: data, what: "permit")
                } catch let error as LedgerError {
                    results.append(.failure(error))
                    continue
                } catch let error as EVMError {
                    if let refusal = RevertKinds.ledgerError(error, intentType: "Permit") {
                        results.append(.failure(refusal))
                        continue
                    }
                    throw error
                }
            }
            results.append(try await send(call, type: type))
        }
        return results
    }

    public func submit(_ actions: [LedgerAction], signedBy key: Secp256k1.PrivateKey, validFor seconds: UInt64) async throws
        -> [Result<LedgerReceipt, LedgerError>]
    {
        let account = EthereumAddress(publicKey: key.publicKey)
        var results = [Result<LedgerReceipt, LedgerError>]()
        for action in actions {
            let call: (contract: LightboxContract, data: [UInt8])
            do {
                if account == sender.account {
                    call = try IntentCalls.direct(action)  // the relaying account acts for itself: no signature needed
                } else {
                    let nonce = try await nextNonce(of: account, for: action.typeName)
                    let intent = Intent(action, account: account, nonce: nonce, deadline: UInt64(Date().timeIntervalSince1970) + seconds)
                    call = try IntentCalls.relayed(try intent.signed(by: key, domain: domain(for: action.typeName)))
                }
            } catch let error as LedgerError {
                results.append(.failure(error))
                continue
            }
            results.append(try await send(call, type: action.typeName))
        }
        return results
    }

    /// The development token's faucet, on a development deployment: the node's account mints to the intent's
    /// account (it is a minter of the development token) within the token's limits, after checking the signature and
    /// the deadline. Faucet intents carry no nonce on a chain: a replay mints again, within the same limits.
    private func faucet(_ signed: SignedIntent) async throws -> Result<LedgerReceipt, LedgerError> {
        guard addresses.developmentToken else {
            return .failure(LedgerError(.invalidIntent, "this chain's payment token is a real ERC-20: there is no faucet; buy tokens and hold them in your wallet"))
        }
        let intent = signed.intent
        guard case .faucet(let amount)? = try? intent.action() else { return .failure(LedgerError(.invalidIntent, "the Faucet intent is malformed")) }
        do {
            try IntentVerifier(domain: domain(for: "Faucet")).verify(signed, expectedNonce: intent.nonce, now: UInt64(Date().timeIntervalSince1970))
        } catch {
            return .failure(error)
        }
        guard amount <= parameters.faucetLimit else {
            return .failure(LedgerError(.invalidArgument, "the faucet gives at most \(parameters.faucetLimit.tokenString) tokens at a time"))
        }
        let balance = TokenAmount(units: try await reads.token("balanceOf", [.address(intent.account)]))
        if let cap = parameters.faucetAccountLimit, balance + amount > cap {
            return .failure(LedgerError(.invalidArgument, "the faucet tops an account up to at most \(cap.tokenString) tokens"))
        }
        let mint = try ContractArtifact.of(.devToken).abi.function("mint").encodeCall([.address(intent.account), .uint(amount.units)])
        do {
            let receipt = try await sender.send(to: addresses.paymentToken, data: mint, what: "Faucet")
            let time = try await sender.rpc.block(.number(receipt.blockNumber))?.timestamp ?? 0
            return .success(LedgerReceipt(index: 0, time: time, events: [
                LedgerEvent("Token", "Transfer", ["from": EthereumAddress.zero.description, "to": intent.account.description, "amount": amount.description]),
            ]))
        } catch {
            if let refusal = RevertKinds.ledgerError(error, intentType: "Faucet") { return .failure(refusal) }
            throw error
        }
    }

    /// Sends one call, waits for it to be confirmed and indexed, and returns its entry.
    private func send(_ call: (contract: LightboxContract, data: [UInt8]), type: String) async throws -> Result<LedgerReceipt, LedgerError> {
        let receipt: TransactionReceipt
        do {
            receipt = try await sender.send(to: addresses.address(of: call.contract), data: call.data, what: type)
        } catch {
            if let refusal = RevertKinds.ledgerError(error, intentType: type) { return .failure(refusal) }
            throw error
        }
        try await indexer.catchUp(through: receipt.blockNumber)
        let rows = try await database.query(
            "SELECT idx, position, time, contract, name, fields FROM evm_events WHERE tx_hash = \(receipt.transactionHash.hexString) ORDER BY idx, position",
            logger: logger)
        let events = try rows.map { try Self.event($0) }
        guard let first = rows.first else {
            // A transaction whose events the marketplace does not follow (none of this kind today).
            return .success(LedgerReceipt(index: 0, time: 0, events: []))
        }
        return .success(LedgerReceipt(index: UInt64(try first.decode("idx", as: Int64.self)),
                                      time: UInt64(try first.decode("time", as: Int64.self)), events: events))
    }

    // MARK: Reads

    public func account(_ address: EthereumAddress) async throws -> AccountRecord {
        var record = AccountRecord()
        record.balance = TokenAmount(units: try await reads.token("balanceOf", [.address(address)]))
        record.nonce = try await reads.intentNonce(of: address, at: .escrow)
        for spender in [addresses.escrow, addresses.registry] {
            let allowance = try await reads.token("allowance", [.address(address), .address(spender)])
            if allowance > 0 { record.allowances[spender.key] = TokenAmount(units: allowance) }
        }
        let rows = try await database.query("SELECT value FROM evm_records WHERE kind = 'operators' AND id = \(address.key)", logger: logger)
        if let text = try rows.first?.decode("value", as: String.self) {
            record.operators = Set(try ChainRecords.decode([String].self, text))
        }
        if addresses.developmentToken {
            record.fauceted = TokenAmount(units: try await reads.view(.devToken, "fauceted", [.address(address)])[0].asUInt128())
        }
        return record
    }

    public func listing(_ id: UInt64) async throws -> ListingRecord? {
        try await records(purchases: [], listings: [id], accounts: []).listings[id]
    }

    public func listing(manifestCID: String) async throws -> ListingRecord? {
        let rows = try await database.query("SELECT value FROM evm_records WHERE kind = 'listing' AND lookup = \(manifestCID)", logger: logger)
        return try rows.first.map { try ChainRecords.decode(ListingRecord.self, try $0.decode("value")) }
    }

    public func purchase(_ id: UInt64) async throws -> PurchaseRecord? {
        try await records(purchases: [id], listings: [], accounts: []).purchases[id]
    }

    public func records(purchases: Set<UInt64>, listings: Set<UInt64>, accounts: Set<EthereumAddress>) async throws -> RecordBatch {
        var batch = RecordBatch()
        let keys = purchases.map { ChainRecords.Key.purchase($0) } + listings.map { ChainRecords.Key.listing($0) }
        if !keys.isEmpty {
            for row in try await database.withConnection(logger: logger, { try await ChainRecords.rows(keys, on: $0) }) {
                if row.kind == "listing" {
                    let listing = try ChainRecords.decode(ListingRecord.self, row.value)
                    batch.listings[listing.id] = listing
                } else {
                    let purchase = try ChainRecords.decode(PurchaseRecord.self, row.value)
                    batch.purchases[purchase.id] = purchase
                }
            }
        }
        for address in accounts { batch.accounts[address] = try await account(address) }
        return batch
    }

    public func governance() async throws -> GovernanceRecord {
        let rows = try await database.query("SELECT value FROM evm_records WHERE kind = 'governance'", logger: logger)
        guard let text = try rows.first?.decode("value", as: String.self) else {
            try await indexer.catchUp()
            return try await governance()
        }
        return try ChainRecords.decode(GovernanceRecord.self, text)
    }

    public func events(listing: UInt64?, account: EthereumAddress?, after: UInt64?, limit: Int) async throws -> [StoredEvent] {
        var conditions: [SQLQuery] = ["e.idx > \(after.map { Int64($0) } ?? 0)"]
        if let listing { conditions.append("e.listing_id = \(Int64(listing))") }
        if let account {
            conditions.append("EXISTS (SELECT 1 FROM evm_event_accounts a WHERE a.account = \(account.key) AND a.idx = e.idx AND a.position = e.position)")
        }
        let rows = try await database.query(
            """
            SELECT e.idx, e.position, e.time, e.contract, e.name, e.fields, e.tx_hash, e.block_number FROM evm_events e
            WHERE \(SQLQuery.joined(conditions, separator: " AND ")) ORDER BY e.idx, e.position LIMIT \(limit)
            """,
            logger: logger)
        return try rows.map { row in
            StoredEvent(index: UInt64(try row.decode("idx", as: Int64.self)), position: try row.decode("position"),
                        time: UInt64(try row.decode("time", as: Int64.self)), event: try Self.event(row),
                        transaction: [UInt8](hexString: try row.decode("tx_hash", as: String.self)).flatMap { $0.isEmpty ? nil : $0 },
                        block: UInt64(try row.decode("block_number", as: Int64.self)))
        }
    }

    /// Indexes the chain up to its confirmed head, so that events of transactions others sent reach the feed (the
    /// marketplace's reactions call it before each pass).
    public func synchronise() async throws {
        try await indexer.catchUp()
    }

    /// The transaction of an indexed entry (``LedgerReceipt/index``), to read its receipt on the chain.
    public func transaction(ofEntry index: UInt64) async throws -> [UInt8]? {
        let rows = try await database.query("SELECT tx_hash FROM evm_events WHERE idx = \(Int64(index)) LIMIT 1", logger: logger)
        return try rows.first.flatMap { [UInt8](hexString: try $0.decode("tx_hash", as: String.self)) }
    }

    static func event(_ row: SQLRow) throws -> LedgerEvent {
        try LedgerEvent(try row.decode("contract"), try row.decode("name"), storedFields: try row.decode("fields"))
    }
}
