import LightboxCrypto

/// Token: balances, transfers and allowances (ERC-20 semantics), and the development faucet.
extension LedgerState {
    mutating func transfer(from: EthereumAddress, to: EthereumAddress, amount: TokenAmount) throws(LedgerError) -> [LedgerEvent] {
        try requireFunds(from, amount, for: "this transfer")
        if from != to { try requireRoom(to, amount) }
        try debit(from, amount)
        try credit(to, amount)
        return [Self.transferEvent(from: from, to: to, amount: amount)]
    }

    mutating func approve(owner: EthereumAddress, spender: EthereumAddress, amount: TokenAmount) throws(LedgerError) -> [LedgerEvent] {
        try update(owner) { $0.allowances[spender.key] = amount == .zero ? nil : amount }
        return [LedgerEvent("Token", "Approval", ["owner": "\(owner)", "spender": "\(spender)", "amount": "\(amount)"])]
    }

    mutating func transferFrom(
        spender: EthereumAddress, from: EthereumAddress, to: EthereumAddress, amount: TokenAmount
    ) throws(LedgerError) -> [LedgerEvent] {
        let allowance = try accountRecord(from).allowances[spender.key] ?? .zero
        guard allowance >= amount else {
            throw LedgerError(
                .insufficientFunds, "\(from) allows \(spender) to move \(allowance.tokenString) tokens, not \(amount.tokenString)")
        }
        var events = try transfer(from: from, to: to, amount: amount)
        try update(from) { $0.allowances[spender.key] = allowance == amount ? nil : allowance - amount }
        events.append(LedgerEvent("Token", "Approval", ["owner": "\(from)", "spender": "\(spender)", "amount": "\(allowance - amount)"]))
        return events
    }

    mutating func faucet(to: EthereumAddress, amount: TokenAmount) throws(LedgerError) -> [LedgerEvent] {
        guard parameters.devMode else {
            throw LedgerError(.unauthorised, "the faucet exists only on a development ledger; this one is not")
        }
        guard amount <= parameters.faucetLimit else {
            throw LedgerError(.invalidArgument, "the faucet gives at most \(parameters.faucetLimit.tokenString) tokens at a time")
        }
        if let cap = parameters.faucetAccountLimit {
            let taken = try accountRecord(to).fauceted
            guard taken.adding(amount).map({ $0 <= cap }) ?? false else {
                throw LedgerError(
                    .invalidArgument,
                    "the faucet gives an account at most \(cap.tokenString) tokens in all; \(to) has had \(taken.tokenString)")
            }
        }
        try requireRoom(to, amount)
        try credit(to, amount)
        try update(to) { $0.fauceted = $0.fauceted + amount }
        updateGovernance { $0.supply = $0.supply + amount }
        return [Self.transferEvent(from: .zero, to: to, amount: amount)]
    }

    mutating func setOperator(_ account: EthereumAddress, active: Bool, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        guard account != actor else { throw LedgerError(.invalidArgument, "an account is always its own operator") }
        try update(actor) { if active { $0.operators.insert(account.key) } else { $0.operators.remove(account.key) } }
        return [LedgerEvent("DatasetRegistry", "ApprovalForAll", ["owner": "\(actor)", "operator": "\(account)", "approved": "\(active)"])]
    }

    static func transferEvent(from: EthereumAddress, to: EthereumAddress, amount: TokenAmount) -> LedgerEvent {
        LedgerEvent("Token", "Transfer", ["from": "\(from)", "to": "\(to)", "amount": "\(amount)"])
    }
}

/// Governance: the arbiter registry, the QA keys and the platform fee, kept by the governance account.
extension LedgerState {
    func requireGovernance(_ actor: EthereumAddress, _ what: String) throws(LedgerError) {
        guard actor == parameters.governance else {
            throw LedgerError(.unauthorised, "only governance (\(parameters.governance)) may \(what); \(actor) is not governance")
        }
    }

    mutating func setArbiter(_ arbiter: EthereumAddress, active: Bool, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        try requireGovernance(actor, "change the arbiter registry")
        updateGovernance { if active { $0.arbiters.insert(arbiter) } else { $0.arbiters.remove(arbiter) } }
        return [LedgerEvent("Governance", "ArbiterSet", ["arbiter": "\(arbiter)", "active": "\(active)"])]
    }

    mutating func setQASigner(_ signer: EthereumAddress, active: Bool, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        try requireGovernance(actor, "authorise QA keys")
        guard signer != .zero else { throw LedgerError(.invalidArgument, "a QA signer is the address of a secp256k1 key, not the zero address") }
        updateGovernance { if active { $0.qaKeys.insert(signer.key) } else { $0.qaKeys.remove(signer.key) } }
        return [LedgerEvent("Governance", "QASignerSet", ["signer": "\(signer)", "active": "\(active)"])]
    }

    mutating func setPlatformFee(_ fee: BasisPoints, treasury: EthereumAddress, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        try requireGovernance(actor, "set the platform fee")
        guard fee.value <= 5_000 else { throw LedgerError(.invalidArgument, "the platform fee is at most 5000 basis points (50 %)") }
        updateGovernance {
            $0.platformFeeBps = fee
            $0.treasury = treasury
        }
        return [LedgerEvent("Governance", "PlatformFeeSet", ["feeBps": "\(fee)", "treasury": "\(treasury)"])]
    }
}

extension EthereumAddress {
    /// Lower-case hex: a stable dictionary key.
    var key: String { lowercaseHex }
}
