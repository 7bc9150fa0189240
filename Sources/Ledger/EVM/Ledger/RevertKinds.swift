/// The ledger error a contract's revert stands for, so that a refusal on a chain reaches clients with the same code
/// (hence the same HTTP status) as on the embedded ledger. Lightbox's contracts revert with `Error(string)` texts
/// that start with the kind and a colon; the few refusals that come from snekmate's modules are mapped by prefix.
enum RevertKinds {
    private static let kinds: [String: LedgerError.Code] = [
        "expired": .expired, "replayed": .replayed, "nonceGap": .nonceGap, "badSignature": .badSignature,
        "unknown": .unknown, "insufficientFunds": .insufficientFunds, "unauthorised": .unauthorised,
        "invalidState": .invalidState, "tooEarly": .tooEarly, "tooLate": .tooLate,
        "invalidAttestation": .invalidAttestation, "invalidArgument": .invalidArgument, "invalidIntent": .invalidIntent,
    ]

    private static let snekmate: [(prefix: String, code: LedgerError.Code)] = [
        ("pausable: contract is paused", .invalidState),
        ("erc721: invalid token ID", .unknown),
        ("erc721: caller is not token owner or approved", .unauthorised),
        ("erc721: approve caller is not token owner", .unauthorised),
        ("erc721:", .invalidArgument),
        ("erc20: insufficient allowance", .insufficientFunds),
        ("erc20: transfer amount exceeds balance", .insufficientFunds),
        ("erc20: invalid signature", .badSignature),
        ("erc20: expired deadline", .expired),
        ("ownable: caller is not the owner", .unauthorised),
        ("ownable_2step: caller is not the new owner", .unauthorised),
    ]

    /// The ledger error of a reverted call of an intent of `intentType`; `nil` when the error is not a revert.
    static func ledgerError(_ error: EVMError, intentType: String) -> LedgerError? {
        guard error.code == .reverted else { return nil }
        guard let data = error.data, let reason = RevertReason(data: data) else {
            // No reason: the call data did not decode (a field beyond the chain's bounds) or the contract ran out of gas.
            return LedgerError(.invalidIntent, "the contract refused the \(intentType) without a reason: a field is out of the chain's range (\(error.message))")
        }
        guard case .message(let text) = reason else {
            return LedgerError(.invalidIntent, "the contract refused the \(intentType): \(reason)")
        }
        let head = String(text.prefix { $0 != ":" })
        if let code = kinds[head] {
            let detail = text.dropFirst(head.count + 1).drop { $0 == " " }
            return LedgerError(code, detail.isEmpty ? text : String(detail))
        }
        if text.hasPrefix("ecdsa:") {
            return LedgerError(intentType == "Mint" ? .invalidAttestation : .badSignature, text)
        }
        if let match = snekmate.first(where: { text.hasPrefix($0.prefix) }) {
            return LedgerError(match.code, text)
        }
        return LedgerError(.invalidState, "the contract refused the \(intentType): \(text)")
    }
}

/// How the EVM ledger reports a failed call: a revert as the embedded ledger's error kind, anything else as it is.
public enum EVMLedgerErrors {
    public static func ledgerError(_ error: EVMError, intentType: String) -> any Error {
        RevertKinds.ledgerError(error, intentType: intentType) ?? error
    }
}
