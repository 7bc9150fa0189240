public import LightboxCrypto

/// The contracts' logs as the embedded ledger's events: the same `Contract.Name` and field names, values as text
/// (addresses checksummed, amounts and ids in decimal, hashes as lower-case hex), so the marketplace reacts to both
/// ledgers alike. The mapping is `contracts/README.md`'s (and the conformance runner's `LogMapper`).
///
/// ERC-1497 `Evidence` and ERC-792 `Ruling` do not carry the purchase's listing or the arbitration fee; the indexer
/// adds them from the purchase's record (``LedgerEvent/completed(listingID:fee:)``).
public struct LogEvents: Sendable {
    let contracts: [EthereumAddress: LightboxContract]

    public init(_ addresses: ContractAddresses) {
        var contracts: [EthereumAddress: LightboxContract] = [
            addresses.governance: .governance, addresses.registry: .registry, addresses.escrow: .escrow,
        ]
        if addresses.developmentToken { contracts[addresses.paymentToken] = .devToken }
        self.contracts = contracts
    }

    /// The addresses whose logs carry the marketplace's events.
    public var addresses: [EthereumAddress] { contracts.filter { $0.value != .devToken }.keys.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) } }

    /// Topic 0 of every event the mapping reads.
    public var topics: [[UInt8]] {
        Self.mapped.flatMap { contract, names in
            names.compactMap { try? ContractArtifact.of(contract).abi.event($0).topic }
        }
    }

    private static let mapped: [LightboxContract: [String]] = [
        .governance: ["ArbiterSet", "QASignerSet", "PlatformFeeSet"],
        .registry: ["ApprovalForAll", "ListingMinted", "PriceChanged", "ListingPaused", "ListingDelisted", "ListingOffered",
                    "ListingTransferred", "Transfer"],
        .escrow: ["Purchased", "LicenceIssued", "Delivered", "Accepted", "EscrowReleased", "EscrowRefunded", "EscrowSplit",
                  "LicenceRevoked", "DisputeOpened", "Evidence", "Ruling"],
    ]

    /// The ledger event of a log, or `nil` for a log the marketplace does not follow.
    /// - Throws: ``EVMError`` `.encoding` when a followed event's log does not decode.
    public func event(of log: EventLog) throws(EVMError) -> LedgerEvent? {
        guard let contract = contracts[log.address], let topic = log.topics.first,
              let abiEvent = ContractArtifact.of(contract).abi.event(topic: topic),
              Self.mapped[contract]?.contains(abiEvent.name) == true
        else { return nil }
        let values = try abiEvent.decode(topics: log.topics, data: log.data)
        var fields = [String: String]()
        for (input, value) in zip(abiEvent.inputs, values) { fields[input.name] = Self.text(value) }
        switch (contract, abiEvent.name) {
        case (.registry, "Transfer"):
            // A plain ERC-721 transfer (no royalty); mints (from zero) are ListingMinted's.
            guard fields["sender"] != Self.zeroAddress, let id = fields["token_id"] else { return nil }
            return LedgerEvent("DatasetRegistry", "Transfer", ["listingId": id, "from": fields["sender"] ?? "", "to": fields["receiver"] ?? ""])
        case (.registry, "ListingTransferred"):
            fields["from"] = fields.removeValue(forKey: "sender")
            fields["to"] = fields.removeValue(forKey: "receiver")
            return LedgerEvent("DatasetRegistry", abiEvent.name, fields)
        case (.registry, "ApprovalForAll"):
            return LedgerEvent("DatasetRegistry", abiEvent.name, ["owner": fields["owner"] ?? "", "operator": fields["operator"] ?? "", "approved": fields["approved"] ?? ""])
        case (.escrow, "LicenceIssued"):
            if fields["expiresAt"] == "0" { fields["expiresAt"] = "never" }
            return LedgerEvent("Licences", abiEvent.name, fields)
        case (.escrow, "LicenceRevoked"):
            return LedgerEvent("Licences", abiEvent.name, fields)
        case (.escrow, "Evidence"):
            return LedgerEvent("Escrow", "Evidence", [
                "purchaseId": fields["_evidenceGroupID"] ?? "", "party": fields["_party"] ?? "", "evidence": fields["_evidence"] ?? "",
            ])
        case (.escrow, "Ruling"):
            return LedgerEvent("Escrow", "Ruling", [
                "purchaseId": fields["_disputeID"] ?? "", "arbiter": fields["_arbitrator"] ?? "", "buyerBps": fields["_ruling"] ?? "",
            ])
        default:
            let name = contract == .registry ? "DatasetRegistry" : contract.rawValue
            return LedgerEvent(name, abiEvent.name, fields)
        }
    }

    static let zeroAddress = EthereumAddress.zero.description

    static func text(_ value: ABIValue) -> String {
        switch value {
        case .uint(let number): String(number)
        case .int(let number): String(number)
        case .address(let address): address.description
        case .bool(let flag): flag ? "true" : "false"
        case .fixedBytes(let bytes), .bytes(let bytes): bytes.hexString
        case .string(let text): text
        case .array(let values), .tuple(let values): values.map(text).joined(separator: ",")
        }
    }
}

extension LedgerEvent {
    /// An ERC-1497 `Evidence` or ERC-792 `Ruling` event with what the embedded ledger's carries besides: the
    /// purchase's listing and, for a ruling, the arbitration fee paid.
    func completed(listingID: UInt64, fee: TokenAmount?) -> LedgerEvent {
        var fields = self.fields
        fields["listingId"] = String(listingID)
        if name == "Ruling", let fee { fields["fee"] = fee.description }
        return LedgerEvent(contract, name, fields)
    }
}
