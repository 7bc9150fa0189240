public import LightboxCrypto

/// How an intent becomes a call to the contract that executes it: relayed, as `<action>BySig(account, nonce,
/// deadline, <own fields>, r, vs)` with the user's EIP-712 signature in EIP-2098's compact form, or direct, as
/// `<action>(<own fields>)` sent by the acting account itself.
public enum IntentCalls {
    /// The contract that executes intents of `type`; `nil` for the token's intents (on a chain those are the ERC-20's
    /// own functions, called from the holder's wallet).
    public static func contract(for type: String) -> LightboxContract? {
        switch type {
        case "SetArbiter", "SetQASigner", "SetPlatformFee": .governance
        case "Mint", "SetPrice", "SetPaused", "Delist", "OfferListing", "TakeListing", "SetOperator": .registry
        case "Purchase", "Deliver", "Accept", "Release", "Reclaim", "OpenDispute", "SubmitEvidence", "Rule": .escrow
        default: nil
        }
    }

    /// The call data relaying a signed intent.
    /// - Throws: ``LedgerError`` `.invalidIntent` when the type has no contract, a field does not fit the chain's
    ///   types, or the signature is not 65 bytes.
    public static func relayed(_ signed: SignedIntent) throws(LedgerError) -> (contract: LightboxContract, data: [UInt8]) {
        let intent = signed.intent
        let contract = try self.contract(of: intent.type)
        let (r, vs) = try compact(signed.signature)
        let head: [ABIValue] = [.address(intent.account), .uint(UInt128(intent.nonce)), .uint(UInt128(intent.deadline))]
        if let permit = signed.permit, intent.type == "Purchase" {
            // purchaseWithPermitBySig(account, nonce, deadline, <Purchase's fields>, r, vs, permitDeadline, v, r, s)
            let function = try abiFunction(contract, "purchaseWithPermitBySig")
            let own = try ownArguments(intent.type, intent.fields, function: function, skipping: 3, trailing: 6)
            let p = permit.signature
            guard p.count == 65, p[64] == 27 || p[64] == 28 || p[64] <= 1 else { throw LedgerError(.badSignature, "a permit's signature must be 65 bytes r ‖ s ‖ v") }
            let tail: [ABIValue] = [.fixedBytes(r), .fixedBytes(vs), .uint(UInt128(permit.deadline)), .uint(UInt128(p[64] < 27 ? p[64] + 27 : p[64])),
                                    .fixedBytes(Array(p[0..<32])), .fixedBytes(Array(p[32..<64]))]
            return (contract, try encode(function, head + own + tail))
        }
        let function = try abiFunction(contract, functionName(intent.type) + "BySig")
        let own = try ownArguments(intent.type, intent.fields, function: function, skipping: 3, trailing: 2)
        return (contract, try encode(function, head + own + [.fixedBytes(r), .fixedBytes(vs)]))
    }

    /// The call data of an action sent directly by its account.
    /// - Throws: ``LedgerError`` `.invalidIntent` when the action has no contract or a field does not fit.
    public static func direct(_ action: LedgerAction) throws(LedgerError) -> (contract: LightboxContract, data: [UInt8]) {
        let contract = try self.contract(of: action.typeName)
        let name = action.typeName == "SetOperator" ? "setApprovalForAll" : functionName(action.typeName)
        let function = try abiFunction(contract, name)
        return (contract, try encode(function, try ownArguments(action.typeName, action.fields, function: function, skipping: 0, trailing: 0)))
    }

    /// The payment token's `permit(owner, spender, value, deadline, v, r, s)`: what the relayer sends before an
    /// intent other than a Purchase that carries a permit.
    public static func permitCall(_ permit: TokenPermit, owner: EthereumAddress, spender: EthereumAddress) throws(LedgerError) -> [UInt8] {
        let p = permit.signature
        guard p.count == 65, [0, 1, 27, 28].contains(p[64]) else { throw LedgerError(.badSignature, "a permit's signature must be 65 bytes r ‖ s ‖ v") }
        let function = try abiFunction(.devToken, "permit")
        return try encode(function, [.address(owner), .address(spender), .uint(permit.value.units), .uint(UInt128(permit.deadline)),
                                     .uint(UInt128(p[64] < 27 ? p[64] + 27 : p[64])), .fixedBytes(Array(p[0..<32])), .fixedBytes(Array(p[32..<64]))])
    }

    /// EIP-2098: `r`, and `s` with the signature's parity in its top bit.
    /// - Throws: ``LedgerError`` `.badSignature` for anything but 65 bytes with v 27/28 (or 0/1).
    public static func compact(_ signature: [UInt8]) throws(LedgerError) -> (r: [UInt8], vs: [UInt8]) {
        guard signature.count == 65, [0, 1, 27, 28].contains(signature[64]), signature[32] & 0x80 == 0 else {
            throw LedgerError(.badSignature, "a signature must be 65 bytes r ‖ s ‖ v with a low s and v 27 or 28")
        }
        var vs = Array(signature[32..<64])
        if signature[64] % 2 == 0 && signature[64] >= 27 || signature[64] == 1 { vs[0] |= 0x80 }
        return (Array(signature[0..<32]), vs)
    }

    // MARK: Fields

    private static func contract(of type: String) throws(LedgerError) -> LightboxContract {
        guard let contract = contract(for: type) else {
            throw LedgerError(.invalidIntent, "\(type) is not an intent on a chain: the payment token's transfers and approvals are the ERC-20's own, made from the holder's wallet")
        }
        return contract
    }

    /// `SetArbiter` → `setArbiter`.
    static func functionName(_ type: String) -> String {
        type.prefix(1).lowercased() + type.dropFirst()
    }

    private static func abiFunction(_ contract: LightboxContract, _ name: String) throws(LedgerError) -> ContractABI.Function {
        do {
            return try ContractArtifact.of(contract).abi.function(name)
        } catch {
            throw LedgerError(.invalidIntent, "the \(contract.rawValue) contract has no \(name): \(error.message)")
        }
    }

    private static func encode(_ function: ContractABI.Function, _ arguments: [ABIValue]) throws(LedgerError) -> [UInt8] {
        do {
            return try function.encodeCall(arguments)
        } catch {
            throw LedgerError(.invalidIntent, "the intent does not fit \(function.signature): \(error.message)")
        }
    }

    /// The intent's own fields as the function's arguments: in the type's order, or packed into the one tuple the
    /// function takes in their place (`Mint`'s request).
    private static func ownArguments(_ type: String, _ fields: [String: EIP712.Value], function: ContractABI.Function,
                                     skipping leading: Int, trailing: Int) throws(LedgerError) -> [ABIValue] {
        let own = LedgerAction.ownFields[type] ?? []
        let values = try own.map { (field) throws(LedgerError) in try value(fields[field.name], type: field.type, name: field.name) }
        let slots = function.inputs.count - leading - trailing
        if slots == own.count { return values }
        if slots == 1, case .tuple = function.inputs[leading].type { return [.tuple(values)] }
        throw LedgerError(.invalidIntent, "\(function.signature) does not take \(type)'s fields")
    }

    private static func value(_ value: EIP712.Value?, type: String, name: String) throws(LedgerError) -> ABIValue {
        switch (type, value) {
        case ("address", .address(let address)?): return .address(address)
        case ("bool", .bool(let flag)?): return .bool(flag)
        case ("string", .string(let text)?): return .string(text)
        case ("bytes", .bytes(let bytes)?): return .bytes(bytes)
        case ("bytes32", .bytes(let bytes)?) where bytes.count == 32: return .fixedBytes(bytes)
        case ("uint256", .word(let word)?) where word.count == 32:
            guard word.prefix(16).allSatisfy({ $0 == 0 }) else {
                throw LedgerError(.invalidIntent, "field \(name) is above 2^128, more than the ledger counts")
            }
            return .uint(word.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
        case ("Terms", .object(let terms)?):
            return .tuple(try LicenceTerms.eip712Fields.map { (field) throws(LedgerError) in
                try self.value(terms[field.name], type: field.type, name: "terms.\(field.name)")
            })
        default:
            throw LedgerError(.invalidIntent, "field \(name) must be a \(type)")
        }
    }
}
