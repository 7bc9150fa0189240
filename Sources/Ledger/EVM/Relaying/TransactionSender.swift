public import LightboxCrypto
public import Logging

/// Sends transactions from one account to any standard JSON-RPC node and waits until they are safely in the chain:
/// gas estimated first (a call that would revert is refused before a nonce is taken), nonces reserved so that
/// concurrent senders never collide, fees from `eth_feeHistory` under the caps, receipts polled, a transaction that
/// stays pending replaced at the same nonce with higher fees, and `confirmations` blocks awaited with the receipt
/// read again, so a transaction a reorganisation dropped is sent again rather than reported as done.
public struct TransactionSender: Sendable {
    public struct Timing: Sendable {
        /// How often to ask for a receipt and the chain's head.
        public var pollInterval: Duration
        /// How long a transaction may stay pending before it is replaced with higher fees.
        public var replaceAfter: Duration
        /// How long to wait for a receipt (and its confirmations) before giving up.
        public var timeout: Duration
        /// How long fees read from `eth_feeHistory` are used before they are read again.
        public var feeRefresh: Duration

        public init(pollInterval: Duration = .milliseconds(250), replaceAfter: Duration = .seconds(30), timeout: Duration = .seconds(300),
                    feeRefresh: Duration = .seconds(2)) {
            self.pollInterval = pollInterval
            self.replaceAfter = replaceAfter
            self.timeout = timeout
            self.feeRefresh = feeRefresh
        }
    }

    public let rpc: EthereumRPC
    public let chainID: UInt64
    let key: Secp256k1.PrivateKey
    public let account: EthereumAddress
    let nonces: any NonceReservations
    public let fees: FeePolicy
    /// Blocks on top of a transaction's block (its own included) before it counts as done; 1 is the block itself.
    public let confirmations: UInt64
    let timing: Timing
    let logger: Logger
    let cache = SenderCache()

    public init(rpc: EthereumRPC, chainID: UInt64, key: Secp256k1.PrivateKey, nonces: any NonceReservations,
                fees: FeePolicy = FeePolicy(), confirmations: UInt64 = 1, timing: Timing = Timing(), logger: Logger) {
        self.rpc = rpc
        self.chainID = chainID
        self.key = key
        account = EthereumAddress(publicKey: key.publicKey)
        self.nonces = nonces
        self.fees = fees
        self.confirmations = max(1, confirmations)
        self.timing = timing
        self.logger = logger
    }

    /// Sends a call (or, with `to` nil, a contract creation) and returns its confirmed, successful receipt.
    /// - Throws: ``EVMError``: `.reverted` (with the reason) when it would revert or did; `.rpc` for the node's
    ///   refusal (an account out of funds says how much it has); `.timeout` when it was not confirmed in time;
    ///   `.configuration` when fees are above the caps.
    public func send(to: EthereumAddress?, data: [UInt8], value: UInt128 = 0, what: String) async throws(EVMError) -> TransactionReceipt {
        let request = CallRequest(from: account, to: to, data: data, value: value)
        let estimate: UInt64
        do {
            estimate = try await rpc.estimateGas(request)
        } catch {
            throw await explained(error, gasLimit: 21_000, maxFee: fees.minimumPriorityFee, what: what)
        }
        let gasLimit = estimate + estimate / 5 + 10_000
        let (rpc, fees) = (self.rpc, self.fees)
        var pricing = try await cache.fees(maximumAge: timing.feeRefresh) { () async throws(EVMError) in
            try fees.fees(from: try await rpc.feeHistory(blocks: 5, percentiles: [fees.priorityPercentile]))
        }
        var sent = [SignedTransaction]()
        var transaction: EIP1559Transaction
        // A nonce another sender used meanwhile (one outside these reservations) is skipped, a few times at most.
        var attempt = 0
        let account = self.account
        while true {
            attempt += 1
            let chainNonce = try await cache.nonceFloor(refresh: attempt > 1) { () async throws(EVMError) in
                try await rpc.transactionCount(of: account, at: .pending)
            }
            let nonce: UInt64
            do {
                nonce = try await nonces.reserve(account: account, chainID: chainID, atLeast: chainNonce)
            } catch let error as EVMError {
                throw error
            } catch {
                throw EVMError(.configuration, "cannot reserve a nonce for \(account): \(error)")
            }
            transaction = EIP1559Transaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: pricing.tip,
                                             maxFeePerGas: pricing.maxFee, gasLimit: gasLimit, to: to, value: value, data: data)
            let signed = transaction.signed(by: key)
            do {
                _ = try await rpc.sendRawTransaction(signed.raw)
                sent.append(signed)
                break
            } catch {
                switch NodeRefusal(error) {
                case .alreadyKnown:
                    sent.append(signed)
                case .nonceTooLow where attempt < 4:
                    continue
                default:
                    try? await nonces.release(account: account, chainID: chainID, nonce: nonce)
                    throw await explained(error, gasLimit: gasLimit, maxFee: pricing.maxFee, what: what)
                }
                break
            }
        }
        logger.debug("sent", metadata: ["what": "\(what)", "nonce": "\(transaction.nonce)", "hash": "0x\(sent[0].hash.hexString)"])
        let clock = ContinuousClock()
        let deadline = clock.now + timing.timeout
        var replaceAt = clock.now + timing.replaceAfter
        while clock.now < deadline {
            if let receipt = try await confirmedReceipt(of: sent) {
                guard receipt.succeeded else {
                    throw EVMError(.reverted, "\(what) reverted on chain in transaction 0x\(receipt.transactionHash.hexString): \(await revertReason(request, block: receipt.blockNumber))")
                }
                return receipt
            }
            if clock.now >= replaceAt, let bumped = fees.replacementFees(after: pricing) {
                pricing = bumped
                transaction.maxFeePerGas = bumped.maxFee
                transaction.maxPriorityFeePerGas = bumped.tip
                let replacement = transaction.signed(by: key)
                do {
                    _ = try await rpc.sendRawTransaction(replacement.raw)
                    sent.append(replacement)
                    logger.notice("replaced a pending transaction with higher fees", metadata: [
                        "what": "\(what)", "nonce": "\(transaction.nonce)", "maxFee": "\(bumped.maxFee)"])
                } catch {
                    // Mined meanwhile (nonce too low) or the node keeps the old one: the receipt poll settles it.
                    logger.debug("replacement refused", metadata: ["error": "\(error.message)"])
                }
                replaceAt = clock.now + timing.replaceAfter
            } else if clock.now >= replaceAt {
                // Fees at the caps: make sure the node still has the transaction (a reorganisation may have dropped it).
                for signed in sent { _ = try? await rpc.sendRawTransaction(signed.raw) }
                replaceAt = clock.now + timing.replaceAfter
            }
            try? await Task.sleep(for: timing.pollInterval)
        }
        throw EVMError(.timeout, "\(what): transaction 0x\(sent[0].hash.hexString) (nonce \(transaction.nonce)) was not confirmed within \(timing.timeout); it may still be mined — check the node and the fee caps")
    }

    /// The receipt of whichever of the transactions was mined, once `confirmations` blocks stand on it and the
    /// block is still in the chain.
    private func confirmedReceipt(of sent: [SignedTransaction]) async throws(EVMError) -> TransactionReceipt? {
        for signed in sent.reversed() {
            guard let receipt = try await rpc.transactionReceipt(signed.hash) else { continue }
            // One confirmation is the block itself: a node answers only for a transaction in its canonical chain.
            if confirmations == 1 { return receipt }
            let head = try await rpc.blockNumber()
            guard head + 1 >= receipt.blockNumber + confirmations else { return nil }
            // The block may have been replaced while we waited: its hash must still be the chain's.
            guard let block = try await rpc.block(.number(receipt.blockNumber)), block.hash == receipt.blockHash else {
                for transaction in sent { _ = try? await rpc.sendRawTransaction(transaction.raw) }
                return nil
            }
            return receipt
        }
        return nil
    }

    /// The reason a mined call reverted, by running it again at its block.
    private func revertReason(_ request: CallRequest, block: UInt64) async -> String {
        do {
            _ = try await rpc.call(request, at: .number(block > 0 ? block - 1 : 0))
            return "no reason given"
        } catch {
            return error.message
        }
    }

    /// A node's refusal with what the operator needs to act on it.
    private func explained(_ error: EVMError, gasLimit: UInt64, maxFee: UInt128, what: String) async -> EVMError {
        guard NodeRefusal(error) == .insufficientFunds else { return error }
        let balance = (try? await rpc.balance(of: account)).map { "\($0) wei" } ?? "too little"
        return EVMError(.unfunded, "\(what): the relaying account \(account) has \(balance) on chain \(chainID), too little to pay for the gas; fund it and try again",
                        rpcCode: error.rpcCode, data: error.data)
    }
}
