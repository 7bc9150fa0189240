public import LightboxCrypto

/// Everything an intent can ask the ledger to do, one case per EIP-712 intent type. The type names and field names
/// are those the EVM contracts will use; each type starts with `account`, `nonce` and `deadline` (``Intent``).
public enum LedgerAction: Sendable, Equatable {
    // Token
    case transfer(to: EthereumAddress, amount: TokenAmount)
    case approve(spender: EthereumAddress, amount: TokenAmount)
    case transferFrom(from: EthereumAddress, to: EthereumAddress, amount: TokenAmount)
    /// Development ledgers only: mints tokens to the acting account.
    case faucet(amount: TokenAmount)
    /// Lets `operator` deliver purchases on the acting account's behalf (ERC-721's `setApprovalForAll`): a
    /// contributor lets the node that holds the dataset's key deliver it to buyers while the contributor is away.
    case setOperator(EthereumAddress, active: Bool)
    // Governance
    case setArbiter(EthereumAddress, active: Bool)
    /// Authorises a QA key (by its address) to sign the attestations mints require, or withdraws it.
    case setQASigner(EthereumAddress, active: Bool)
    case setPlatformFee(BasisPoints, treasury: EthereumAddress)
    // DatasetRegistry
    case mint(MintRequest)
    case setPrice(listing: UInt64, price: TokenAmount)
    case setPaused(listing: UInt64, paused: Bool)
    case delist(listing: UInt64)
    /// The owner offers the listing token to `to` (the zero address: to anyone) at `price`.
    case offerListing(listing: UInt64, to: EthereumAddress, price: TokenAmount)
    /// Takes an offered listing, paying its price: the royalty to the creator, the rest to the owner.
    case takeListing(listing: UInt64, price: TokenAmount)
    // Licences and Escrow
    case purchase(listing: UInt64, price: TokenAmount, termsHash: [UInt8], buyerKey: [UInt8])
    case deliver(purchase: UInt64, sealedKey: [UInt8])
    case accept(purchase: UInt64)
    case release(purchase: UInt64)
    case reclaim(purchase: UInt64)
    case openDispute(purchase: UInt64, evidenceCID: String)
    case submitEvidence(purchase: UInt64, evidenceCID: String)
    case rule(purchase: UInt64, buyerShare: BasisPoints)

    /// What a contributor signs to mint a listing.
    public struct MintRequest: Sendable, Equatable {
        public var contentRoot: String
        public var attestation: QAAttestation
        public var terms: LicenceTerms
        public var price: TokenAmount
        public var royalty: BasisPoints

        public init(contentRoot: String, attestation: QAAttestation, terms: LicenceTerms, price: TokenAmount, royalty: BasisPoints) {
            self.contentRoot = contentRoot
            self.attestation = attestation
            self.terms = terms
            self.price = price
            self.royalty = royalty
        }
    }

    /// Every intent type with its own fields (after account, nonce and deadline).
    public static let ownFields: [String: [EIP712.Field]] = [
        "Transfer": [.init("to", "address"), .init("amount", "uint256")],
        "Approve": [.init("spender", "address"), .init("amount", "uint256")],
        "TransferFrom": [.init("from", "address"), .init("to", "address"), .init("amount", "uint256")],
        "Faucet": [.init("amount", "uint256")],
        "SetOperator": [.init("operator", "address"), .init("active", "bool")],
        "SetArbiter": [.init("arbiter", "address"), .init("active", "bool")],
        "SetQASigner": [.init("signer", "address"), .init("active", "bool")],
        "SetPlatformFee": [.init("feeBps", "uint256"), .init("treasury", "address")],
        "Mint": [
            .init("contentRoot", "string"), .init("manifestCid", "string"), .init("reportCid", "string"),
            .init("reportHash", "bytes32"), .init("score", "uint256"), .init("passed", "bool"),
            .init("qaSigner", "address"), .init("attestation", "bytes"), .init("terms", "Terms"),
            .init("price", "uint256"), .init("royaltyBps", "uint256"),
        ],
        "SetPrice": [.init("listingId", "uint256"), .init("price", "uint256")],
        "SetPaused": [.init("listingId", "uint256"), .init("paused", "bool")],
        "Delist": [.init("listingId", "uint256")],
        "OfferListing": [.init("listingId", "uint256"), .init("to", "address"), .init("price", "uint256")],
        "TakeListing": [.init("listingId", "uint256"), .init("price", "uint256")],
        "Purchase": [.init("listingId", "uint256"), .init("price", "uint256"), .init("termsHash", "bytes32"), .init("buyerKey", "bytes32")],
        "Deliver": [.init("purchaseId", "uint256"), .init("sealedKey", "bytes")],
        "Accept": [.init("purchaseId", "uint256")],
        "Release": [.init("purchaseId", "uint256")],
        "Reclaim": [.init("purchaseId", "uint256")],
        "OpenDispute": [.init("purchaseId", "uint256"), .init("evidenceCid", "string")],
        "SubmitEvidence": [.init("purchaseId", "uint256"), .init("evidenceCid", "string")],
        "Rule": [.init("purchaseId", "uint256"), .init("buyerBps", "uint256")],
    ]

    /// The EIP-712 types of an intent type: its struct and the structs it uses.
    public static func types(of type: String) -> [String: [EIP712.Field]]? {
        guard let own = ownFields[type] else { return nil }
        var types = [type: Intent.commonFields + own]
        if own.contains(where: { $0.type == "Terms" }) { types["Terms"] = LicenceTerms.eip712Fields }
        return types
    }

    /// The EIP-712 primary type.
    public var typeName: String {
        switch self {
        case .transfer: "Transfer"
        case .approve: "Approve"
        case .transferFrom: "TransferFrom"
        case .faucet: "Faucet"
        case .setOperator: "SetOperator"
        case .setArbiter: "SetArbiter"
        case .setQASigner: "SetQASigner"
        case .setPlatformFee: "SetPlatformFee"
        case .mint: "Mint"
        case .setPrice: "SetPrice"
        case .setPaused: "SetPaused"
        case .delist: "Delist"
        case .offerListing: "OfferListing"
        case .takeListing: "TakeListing"
        case .purchase: "Purchase"
        case .deliver: "Deliver"
        case .accept: "Accept"
        case .release: "Release"
        case .reclaim: "Reclaim"
        case .openDispute: "OpenDispute"
        case .submitEvidence: "SubmitEvidence"
        case .rule: "Rule"
        }
    }

    /// The intent's own field values.
    public var fields: [String: EIP712.Value] {
        switch self {
        case .transfer(let to, let amount): ["to": .address(to), "amount": amount.eip712]
        case .approve(let spender, let amount): ["spender": .address(spender), "amount": amount.eip712]
        case .transferFrom(let from, let to, let amount): ["from": .address(from), "to": .address(to), "amount": amount.eip712]
        case .faucet(let amount): ["amount": amount.eip712]
        case .setOperator(let account, let active): ["operator": .address(account), "active": .bool(active)]
        case .setArbiter(let arbiter, let active): ["arbiter": .address(arbiter), "active": .bool(active)]
        case .setQASigner(let signer, let active): ["signer": .address(signer), "active": .bool(active)]
        case .setPlatformFee(let fee, let treasury): ["feeBps": .uint(UInt64(fee.value)), "treasury": .address(treasury)]
        case .mint(let request):
            [
                "contentRoot": .string(request.contentRoot), "manifestCid": .string(request.attestation.manifestCID),
                "reportCid": .string(request.attestation.reportCID), "reportHash": .bytes(request.attestation.reportHash),
                "score": .uint(request.attestation.score), "passed": .bool(request.attestation.passed),
                "qaSigner": .address(request.attestation.signer), "attestation": .bytes(request.attestation.signature),
                "terms": request.terms.eip712, "price": request.price.eip712, "royaltyBps": .uint(UInt64(request.royalty.value)),
            ]
        case .setPrice(let listing, let price): ["listingId": .uint(listing), "price": price.eip712]
        case .setPaused(let listing, let paused): ["listingId": .uint(listing), "paused": .bool(paused)]
        case .delist(let listing): ["listingId": .uint(listing)]
        case .offerListing(let listing, let to, let price): ["listingId": .uint(listing), "to": .address(to), "price": price.eip712]
        case .takeListing(let listing, let price): ["listingId": .uint(listing), "price": price.eip712]
        case .purchase(let listing, let price, let termsHash, let buyerKey):
            ["listingId": .uint(listing), "price": price.eip712, "termsHash": .bytes(termsHash), "buyerKey": .bytes(buyerKey)]
        case .deliver(let purchase, let sealedKey): ["purchaseId": .uint(purchase), "sealedKey": .bytes(sealedKey)]
        case .accept(let purchase), .release(let purchase), .reclaim(let purchase): ["purchaseId": .uint(purchase)]
        case .openDispute(let purchase, let cid), .submitEvidence(let purchase, let cid):
            ["purchaseId": .uint(purchase), "evidenceCid": .string(cid)]
        case .rule(let purchase, let share): ["purchaseId": .uint(purchase), "buyerBps": .uint(UInt64(share.value))]
        }
    }

    /// Reads an action back from an intent's type and fields.
    /// - Throws: ``LedgerError`` `.invalidIntent` for an unknown type, or a field missing or out of range.
    public init(type: String, fields: [String: EIP712.Value]) throws(LedgerError) {
        let f = FieldReader(type: type, fields: fields)
        switch type {
        case "Transfer": self = .transfer(to: try f.address("to"), amount: try f.amount("amount"))
        case "Approve": self = .approve(spender: try f.address("spender"), amount: try f.amount("amount"))
        case "TransferFrom": self = .transferFrom(from: try f.address("from"), to: try f.address("to"), amount: try f.amount("amount"))
        case "Faucet": self = .faucet(amount: try f.amount("amount"))
        case "SetOperator": self = .setOperator(try f.address("operator"), active: try f.bool("active"))
        case "SetArbiter": self = .setArbiter(try f.address("arbiter"), active: try f.bool("active"))
        case "SetQASigner": self = .setQASigner(try f.address("signer"), active: try f.bool("active"))
        case "SetPlatformFee": self = .setPlatformFee(try f.basisPoints("feeBps"), treasury: try f.address("treasury"))
        case "Mint":
            let attestation = QAAttestation(
                manifestCID: try f.string("manifestCid"), reportCID: try f.string("reportCid"),
                reportHash: try f.bytes("reportHash", count: 32), score: try f.uint("score"), passed: try f.bool("passed"),
                signer: try f.address("qaSigner"), signature: try f.bytes("attestation"))
            self = .mint(MintRequest(
                contentRoot: try f.string("contentRoot"), attestation: attestation, terms: try f.terms("terms"),
                price: try f.amount("price"), royalty: try f.basisPoints("royaltyBps")))
        case "SetPrice": self = .setPrice(listing: try f.uint("listingId"), price: try f.amount("price"))
        case "SetPaused": self = .setPaused(listing: try f.uint("listingId"), paused: try f.bool("paused"))
        case "Delist": self = .delist(listing: try f.uint("listingId"))
        case "OfferListing": self = .offerListing(listing: try f.uint("listingId"), to: try f.address("to"), price: try f.amount("price"))
        case "TakeListing": self = .takeListing(listing: try f.uint("listingId"), price: try f.amount("price"))
        case "Purchase":
            self = .purchase(
                listing: try f.uint("listingId"), price: try f.amount("price"), termsHash: try f.bytes("termsHash", count: 32),
                buyerKey: try f.bytes("buyerKey", count: 32))
        case "Deliver": self = .deliver(purchase: try f.uint("purchaseId"), sealedKey: try f.bytes("sealedKey"))
        case "Accept": self = .accept(purchase: try f.uint("purchaseId"))
        case "Release": self = .release(purchase: try f.uint("purchaseId"))
        case "Reclaim": self = .reclaim(purchase: try f.uint("purchaseId"))
        case "OpenDispute": self = .openDispute(purchase: try f.uint("purchaseId"), evidenceCID: try f.string("evidenceCid"))
        case "SubmitEvidence": self = .submitEvidence(purchase: try f.uint("purchaseId"), evidenceCID: try f.string("evidenceCid"))
        case "Rule": self = .rule(purchase: try f.uint("purchaseId"), buyerShare: try f.basisPoints("buyerBps"))
        default:
            throw LedgerError(.invalidIntent, "'\(type.prefix(40))' is not an intent type; there are \(Self.ownFields.keys.sorted().joined(separator: ", "))")
        }
    }
}

extension Intent {
    /// An intent for `action` by `account`.
    public init(_ action: LedgerAction, account: EthereumAddress, nonce: UInt64, deadline: UInt64) {
        // The catalogue's types always start with the common fields.
        try! self.init(
            type: action.typeName, types: LedgerAction.types(of: action.typeName)!, account: account, nonce: nonce,
            deadline: deadline, fields: action.fields)
    }

    /// The action the intent asks for.
    /// - Throws: ``LedgerError`` `.invalidIntent` when its type is not one of the ledger's or its fields do not fit.
    public func action() throws(LedgerError) -> LedgerAction {
        if type == "SetQAKey" || types[type]?.contains(where: { $0.name == "attestationKey" }) == true {
            throw LedgerError(
                .invalidIntent,
                "this \(type) intent names an Ed25519 QA key: it was signed before QA attestations became EIP-712 typed data signed by a secp256k1 QA key (SetQASigner); sign it again in the current form")
        }
        guard let expected = LedgerAction.types(of: type), expected == types else {
            throw LedgerError(.invalidIntent, "the intent's types are not the ledger's types for \(type.prefix(40))")
        }
        return try LedgerAction(type: type, fields: fields)
    }
}

/// Reads typed values out of an intent's fields, naming the field that does not fit.
private struct FieldReader {
    let type: String
    let fields: [String: EIP712.Value]

    func fail(_ name: String, _ what: String) -> LedgerError {
        LedgerError(.invalidIntent, "field \(name) of \(type) must be \(what)")
    }

    func address(_ name: String) throws(LedgerError) -> EthereumAddress {
        guard case .address(let value) = fields[name] else { throw fail(name, "an address") }
        return value
    }

    func bool(_ name: String) throws(LedgerError) -> Bool {
        guard case .bool(let value) = fields[name] else { throw fail(name, "true or false") }
        return value
    }

    func string(_ name: String) throws(LedgerError) -> String {
        guard case .string(let value) = fields[name], value.utf8.count <= 512 else { throw fail(name, "a string of at most 512 bytes") }
        return value
    }

    func bytes(_ name: String, count: Int? = nil) throws(LedgerError) -> [UInt8] {
        guard case .bytes(let value) = fields[name], count.map({ value.count == $0 }) ?? (value.count <= 4096) else {
            throw fail(name, count.map { "\($0) bytes" } ?? "at most 4096 bytes")
        }
        return value
    }

    func word(_ name: String, maxBytes: Int) throws(LedgerError) -> [UInt8] {
        guard case .word(let word) = fields[name], word.count == 32, word.prefix(32 - maxBytes).allSatisfy({ $0 == 0 }) else {
            throw fail(name, "an unsigned integer below 2^\(maxBytes * 8)")
        }
        return Array(word.suffix(maxBytes))
    }

    func uint(_ name: String) throws(LedgerError) -> UInt64 {
        try word(name, maxBytes: 8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    func amount(_ name: String) throws(LedgerError) -> TokenAmount {
        TokenAmount(units: try word(name, maxBytes: 16).reduce(0) { $0 << 8 | UInt128($1) })
    }

    func basisPoints(_ name: String) throws(LedgerError) -> BasisPoints {
        do {
            return try BasisPoints(try uint(name))
        } catch {
            throw fail(name, "basis points from 0 to 10000")
        }
    }

    func terms(_ name: String) throws(LedgerError) -> LicenceTerms {
        guard case .object(let values) = fields[name] else { throw fail(name, "a Terms struct") }
        let f = FieldReader(type: "Terms", fields: values)
        return LicenceTerms(
            template: try f.string("template"), spdx: try f.string("spdx"), commercialUse: try f.bool("commercialUse"),
            aiTraining: try f.bool("aiTraining"), derivatives: try f.bool("derivatives"),
            redistribution: try f.bool("redistribution"), attribution: try f.bool("attribution"), seats: try f.uint("seats"),
            durationDays: try f.uint("durationDays"), territory: try f.string("territory"))
    }
}
