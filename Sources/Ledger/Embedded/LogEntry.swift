public import LightboxCrypto

/// One entry of the ledger's log: the genesis entry (index 0, the parameters) or an accepted intent with the
/// events it emitted. Its leaf bytes are canonical JSON (see ``JSONValue``):
///
///     {"events":[{"contract":"Token","fields":{…},"name":"Transfer"}],"index":"5","message":{…},
///      "primaryType":"Transfer","signature":"0x…","time":"1763700000","type":"intent"}
///
/// `message` is the EIP-712 message as `eth_signTypedData_v4` writes it; its types are the ledger's intent types
/// (``LedgerAction/types(of:)``) and its domain is the genesis parameters' ``LedgerParameters/domain``.
public enum LogEntry: Sendable {
    case genesis(time: UInt64, parameters: LedgerParameters)
    case intent(index: UInt64, time: UInt64, SignedIntent, events: [LedgerEvent])

    public var index: UInt64 {
        switch self {
        case .genesis: 0
        case .intent(let index, _, _, _): index
        }
    }

    public var time: UInt64 {
        switch self {
        case .genesis(let time, _), .intent(_, let time, _, _): time
        }
    }

    public var events: [LedgerEvent] {
        guard case .intent(_, _, _, let events) = self else { return [] }
        return events
    }

    /// The bytes the log hashes as this entry's leaf.
    public var leaf: [UInt8] { json.canonicalBytes }

    var json: JSONValue {
        switch self {
        case .genesis(let time, let parameters):
            return .object([
                "type": .string("genesis"), "index": .string("0"), "time": .string(String(time)),
                "parameters": .encoding(parameters),
            ])
        case .intent(let index, let time, let signed, let events):
            var members = signed.wireMembers
            members["type"] = .string("intent")
            members["index"] = .string(String(index))
            members["time"] = .string(String(time))
            members["events"] = .array(events.map(\.json))
            return .object(members)
        }
    }

    /// Reads an entry from its leaf bytes; intents are read under `domain`.
    /// - Throws: ``LedgerError`` `.tampered` when the bytes are not a canonical entry.
    public init(leaf: [UInt8], domain: IntentDomain?) throws(LedgerError) {
        let json = try JSONValue.parse(leaf)
        guard json.canonicalBytes == leaf else { throw LedgerError(.tampered, "the entry is not in canonical form") }
        guard let index = json["index"]?.string.flatMap(UInt64.init), let time = json["time"]?.string.flatMap(UInt64.init) else {
            throw LedgerError(.tampered, "the entry has no index or time")
        }
        switch json["type"]?.string {
        case "genesis":
            guard index == 0, let parameters = json["parameters"] else { throw LedgerError(.tampered, "a genesis entry is entry 0 with parameters") }
            self = .genesis(time: time, parameters: try parameters.decoded(as: LedgerParameters.self))
        case "intent":
            guard let domain, let eventsJSON = json["events"] else {
                throw LedgerError(.tampered, "the intent entry lacks its events")
            }
            let signed = try SignedIntent(wire: json, domain: domain, failure: .tampered)
            self = .intent(index: index, time: time, signed, events: try eventsJSON.decoded(as: [LedgerEvent].self))
        default:
            throw LedgerError(.tampered, "the entry's type is neither genesis nor intent")
        }
    }
}

extension UInt64 {
    /// A 32-byte big-endian word that fits 64 bits.
    init?(exactly word: [UInt8]) {
        guard word.count == 32, word.prefix(24).allSatisfy({ $0 == 0 }) else { return nil }
        self = word.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
