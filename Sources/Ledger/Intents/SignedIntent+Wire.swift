public import LightboxCrypto

/// The JSON form in which a signed intent travels (over HTTP, and inside each log entry):
///
///     {"message":{…},"primaryType":"Purchase","signature":"0x…"}
///
/// A Purchase or an OpenDispute may add `"permit": {"value", "deadline", "signature"}`: the account's EIP-2612 permit
/// for the Escrow to draw the price or the arbitration fee, used on a chain (``TokenPermit``); the log of the embedded
/// ledger keeps the intent without it.
///
/// `message` is the EIP-712 message as `eth_signTypedData_v4` writes it (integers as decimal strings, bytes as
/// 0x-hex); its types are the ledger's (``LedgerAction/types(of:)``) and the domain is the reader's, so an intent
/// signed for another ledger fails verification rather than parsing.
extension SignedIntent {
    /// The canonical bytes of the wire form (with the permit, when there is one).
    public var wireJSON: [UInt8] {
        var members = wireMembers
        if let permit { members["permit"] = permit.json }
        return JSONValue.object(members).canonicalBytes
    }

    var wireMembers: [String: JSONValue] {
        guard case .object(let message) = IntentJSON.encode(.object(intent.typedData(domain).message)) else {
            preconditionFailure("a message is an object")
        }
        return [
            "primaryType": .string(intent.type), "message": .object(message),
            "signature": .string("0x" + signature.hexString),
        ]
    }

    /// Reads the wire form; the intent's signature is not checked here (``IntentVerifier`` does that).
    /// - Throws: ``LedgerError`` `.invalidIntent` naming what does not fit.
    public init(wireJSON: [UInt8], domain: IntentDomain) throws(LedgerError) {
        try self.init(wire: try JSONValue.parse(wireJSON), domain: domain, failure: .invalidIntent)
    }

    init(wire json: JSONValue, domain: IntentDomain, failure code: LedgerError.Code) throws(LedgerError) {
        guard let type = json["primaryType"]?.string else { throw LedgerError(code, "the intent has no primaryType") }
        guard let types = LedgerAction.types(of: type) else {
            throw LedgerError(code, "'\(type.prefix(40))' is not an intent type of this ledger")
        }
        guard let message = json["message"], let signatureText = json["signature"]?.string, signatureText.hasPrefix("0x"),
              let signature = [UInt8](hexString: String(signatureText.dropFirst(2)))
        else {
            throw LedgerError(code, "the intent needs its message and its signature as 0x-hex")
        }
        let values: EIP712.Value
        do {
            values = try IntentJSON.decode(message, type: type, types: types)
        } catch {
            throw LedgerError(code, "the intent's message does not fit \(type): \(error.message)")
        }
        guard case .object(var fields) = values, case .address(let account) = fields.removeValue(forKey: "account"),
              case .word(let nonceWord) = fields.removeValue(forKey: "nonce"),
              case .word(let deadlineWord) = fields.removeValue(forKey: "deadline"),
              let nonce = UInt64(exactly: nonceWord), let deadline = UInt64(exactly: deadlineWord)
        else {
            throw LedgerError(code, "the intent's account, nonce or deadline is malformed")
        }
        let intent: Intent
        do {
            intent = try Intent(type: type, types: types, account: account, nonce: nonce, deadline: deadline, fields: fields)
        } catch {
            throw LedgerError(code, "the intent does not fit its type: \(error.message)")
        }
        self.init(intent: intent, domain: domain, signature: signature, permit: try json["permit"].map { (permit) throws(LedgerError) in
            guard TokenPermit.intentTypes.contains(type) else { throw LedgerError(code, "only a Purchase or an OpenDispute carries a permit") }
            return try TokenPermit(json: permit)
        })
    }
}
