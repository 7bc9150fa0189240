import Foundation
import Ledger
import LightboxCrypto

/// Runs one scenario of the conformance suite (`contracts/conformance/README.md`) against the embedded ledger:
/// the same files the Vyper contracts' runner reads, with the same outcomes expected.
struct ConformanceScenario {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    private let document: ScenarioJSON
    private var state: LedgerState
    private var now: UInt64
    private var funded: TokenAmount = .zero
    private var names: Set<String> = ["governance", "treasury"]
    private let terms: [String: LicenceTerms]

    /// The scenario files, by name.
    static func all() throws -> [URL] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("contracts/conformance/scenarios")
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    init(file: URL) throws {
        name = file.deletingPathExtension().lastPathComponent
        let document = try JSONDecoder().decode(ScenarioJSON.self, from: Data(contentsOf: file))
        self.document = document
        let given = document["parameters"]?.object ?? [:]
        func number(_ key: String, _ fallback: UInt64) throws -> UInt64 {
            guard let value = given[key] else { return fallback }
            guard let number = UInt64(value.description) else { throw Failure(description: "parameter \(key) is not a number") }
            return number
        }
        let parameters = try LedgerParameters(
            ledgerID: "conformance", governance: Self.address(of: "governance"), treasury: Self.address(of: "treasury"),
            platformFeeBps: try number("platformFeeBps", 250),
            arbitrationFee: try given["arbitrationFee"].map { try Self.amount($0) } ?? .tokens(5),
            deliveryPeriod: try number("deliveryPeriod", 86_400), acceptancePeriod: try number("acceptancePeriod", 259_200),
            evidencePeriod: try number("evidencePeriod", 172_800), devMode: true, faucetLimit: TokenAmount(units: UInt128(UInt64.max) * 1_000_000))
        state = LedgerState(parameters: parameters)
        now = document["start"].flatMap { UInt64($0.description) } ?? 1_767_225_600
        var terms = LicenceTerms.templates  // the templates by name, unless the scenario names its own
        for (name, value) in document["terms"]?.object ?? [:] {
            func flag(_ key: String) -> Bool { value[key]?.description == "true" }
            func word(_ key: String) -> String { value[key]?.string ?? "" }
            func count(_ key: String) -> UInt64 { value[key].flatMap { UInt64($0.description) } ?? 0 }
            terms[name] = LicenceTerms(
                template: word("template"), spdx: word("spdx"), commercialUse: flag("commercialUse"), aiTraining: flag("aiTraining"),
                derivatives: flag("derivatives"), redistribution: flag("redistribution"), attribution: flag("attribution"),
                seats: count("seats"), durationDays: count("durationDays"),
                territory: word("territory"))
        }
        self.terms = terms
    }

    // MARK: Accounts and values

    static func key(of name: String) -> Secp256k1.PrivateKey {
        try! Secp256k1.PrivateKey(bytes: Keccak256.hash(Array("lightbox.conformance.\(name)".utf8)))
    }

    static func address(of name: String) -> EthereumAddress { EthereumAddress(publicKey: key(of: name).publicKey) }

    static func amount(_ value: ScenarioJSON) throws -> TokenAmount {
        guard let units = UInt128(value.description) else { throw Failure(description: "'\(value)' is not an amount in units") }
        return TokenAmount(units: units)
    }

    private mutating func address(_ text: String) throws -> EthereumAddress {
        if text.hasPrefix("@") {
            names.insert(String(text.dropFirst()))
            return Self.address(of: String(text.dropFirst()))
        }
        guard let address = try? EthereumAddress(text) else { throw Failure(description: "'\(text)' is not an address or @name") }
        return address
    }

    private static func hex(_ text: String) throws -> [UInt8] {
        guard let bytes = [UInt8](hexString: text.hasPrefix("0x") ? String(text.dropFirst(2)) : text) else {
            throw Failure(description: "'\(text)' is not hex")
        }
        return bytes
    }

    /// One field of an intent, read by its EIP-712 type.
    private mutating func value(_ raw: String, type: String, field: String) throws -> EIP712.Value {
        switch type {
        case "address": return .address(try address(raw))
        case "bool": return .bool(raw == "true")
        case "string": return .string(raw)
        case "uint256": return try .uint(decimal: raw)
        case "bytes", "bytes32":
            if field == "termsHash", let named = terms[raw] { return .bytes(named.hash) }
            return .bytes(try Self.hex(raw))
        case "Terms":
            guard let named = terms[raw] else { throw Failure(description: "no terms named '\(raw)'") }
            return named.eip712
        default: throw Failure(description: "no conversion for \(type)")
        }
    }

    /// The intent's own fields; a Mint's attestation object is signed here.
    private mutating func fields(of type: String, _ given: [String: ScenarioJSON]) throws -> [String: EIP712.Value] {
        guard let own = LedgerAction.ownFields[type] else { throw Failure(description: "'\(type)' is not an intent type") }
        var given = given
        let rawAttestation = given.removeValue(forKey: "attestation")
        var text = given.mapValues(\.description)
        if type == "Mint", case .object(let attestation)? = rawAttestation {
            let field = { (key: String) in attestation[key]?.description ?? "" }
            let signer = field("signer")
            names.insert(signer)
            let signed = try QAAttestation.sign(
                manifestCID: field("manifestCid"), reportCID: field("reportCid"), reportHash: try Self.hex(field("reportHash")),
                score: UInt64(field("score")) ?? 0, passed: field("passed") == "true", key: Self.key(of: signer))
            text["manifestCid"] = signed.manifestCID
            text["reportCid"] = signed.reportCID
            text["reportHash"] = "0x" + signed.reportHash.hexString
            text["score"] = String(signed.score)
            text["passed"] = String(signed.passed)
            text["qaSigner"] = signed.signer.description
            text["attestation"] = "0x" + signed.signature.hexString
        }
        var fields: [String: EIP712.Value] = [:]
        for field in own {
            guard let raw = text[field.name] else { throw Failure(description: "\(type) needs its field \(field.name)") }
            fields[field.name] = try value(raw, type: field.type, field: field.name)
        }
        return fields
    }

    // MARK: Running

    /// Runs every step and checks the end; throws the first difference.
    mutating func run() throws {
        for (name, amount) in (document["fund"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            names.insert(name)
            let units = try Self.amount(amount)
            let intent = Intent(.faucet(amount: units), account: Self.address(of: name), nonce: state.nextNonce(of: Self.address(of: name)), deadline: now + 3_600)
            _ = try state.apply(try intent.signed(by: Self.key(of: name), domain: state.parameters.domain), at: now)
            funded = funded + units
        }
        for (index, step) in (document["steps"]?.array ?? []).enumerated() {
            do {
                try run(step)
                try checkConservation()
            } catch let failure as Failure {
                throw Failure(description: "\(name), step \(index + 1): \(failure.description)")
            }
        }
        if let end = document["end"] {
            do {
                try check(end)
            } catch let failure as Failure {
                throw Failure(description: "\(name), end: \(failure.description)")
            }
        }
    }

    private mutating func run(_ step: ScenarioJSON) throws {
        if let wait = step["wait"] {
            now += UInt64(wait.description) ?? 0
            return
        }
        guard let actor = step["as"]?.string, let type = step["do"]?.string else {
            throw Failure(description: "a step is {\"wait\": N} or has \"as\" and \"do\"")
        }
        names.insert(actor)
        let account = Self.address(of: actor)
        let next = state.nextNonce(of: account)
        let nonce: UInt64 = switch step["nonce"]?.string {
        case "reuse": next - 1
        case "skip": next + 1
        default: next
        }
        let deadline = step["deadline"]?.string == "expired" ? now - 1 : now + 3_600
        let intent = try Intent(
            type: type, types: LedgerAction.types(of: type) ?? [:], account: account, nonce: nonce, deadline: deadline,
            fields: try fields(of: type, step["with"]?.object ?? [:]))
        let signer = Self.key(of: step["signer"]?.string ?? actor)
        let digest = try intent.typedData(state.parameters.domain).digest()
        let signed = SignedIntent(intent: intent, domain: state.parameters.domain, signature: try signer.sign(digest: digest).ethereumBytes)

        let expect = step["expect"]?.object ?? [:]
        let before = state
        let events: [LedgerEvent]
        switch apply(signed) {
        case .success(let emitted): events = emitted
        case .failure(let error):
            guard let kind = expect["refused"]?.string else {
                throw Failure(description: "\(type) by \(actor) was refused (\(error.code): \(error.message)); the scenario expects it to succeed")
            }
            guard error.code.description == kind else {
                throw Failure(description: "\(type) by \(actor) was refused as \(error.code) (\(error.message)), not \(kind)")
            }
            state = before
            return
        }
        if let kind = expect["refused"]?.string {
            throw Failure(description: "\(type) by \(actor) succeeded; the scenario expects it refused as \(kind)")
        }
        var remaining = events[...]
        for expected in expect["events"]?.array ?? [] {
            let qualified = expected["event"]?.description ?? ""
            let args = expected["args"]?.object ?? [:]
            guard let found = try remaining.firstIndex(where: { try matches($0, qualified, args) }) else {
                throw Failure(description: "\(type) by \(actor) did not emit \(qualified) \(args) after the events matched before; it emitted \(events.map { "\($0.contract).\($0.name) \($0.fields)" })")
            }
            remaining = remaining[(found + 1)...]
        }
    }

    private mutating func apply(_ signed: SignedIntent) -> Result<[LedgerEvent], LedgerError> {
        do {
            return .success(try state.apply(signed, at: now))
        } catch {
            return .failure(error)
        }
    }

    private mutating func matches(_ event: LedgerEvent, _ qualified: String, _ args: [String: ScenarioJSON]) throws -> Bool {
        guard "\(event.contract).\(event.name)" == qualified else { return false }
        for (key, value) in args {
            guard let actual = event.fields[key], try Self.normalised(actual) == normalised(value) else { return false }
        }
        return true
    }

    /// Text for comparison: addresses and hex without case or `0x`.
    private static func normalised(_ text: String) -> String {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? String(lower.dropFirst(2)) : lower
    }

    private mutating func normalised(_ value: ScenarioJSON) throws -> String {
        let text = value.description
        if text.hasPrefix("@") { return Self.normalised(try address(text).description) }
        return Self.normalised(text)
    }

    private func checkConservation() throws {
        let held = names.map { state.balance(of: Self.address(of: $0)) }.reduce(TokenAmount.zero, +) + state.governance.escrowed
        guard held == funded else {
            throw Failure(description: "tokens are not conserved: the accounts hold \(held) with escrow, \(funded) were funded")
        }
    }

    private mutating func check(_ end: ScenarioJSON) throws {
        for (name, amount) in end["balances"]?.object ?? [:] {
            let balance = state.balance(of: Self.address(of: name))
            guard balance == (try Self.amount(amount)) else { throw Failure(description: "\(name) holds \(balance), not \(amount)") }
        }
        if let escrow = end["escrow"], state.governance.escrowed != (try Self.amount(escrow)) {
            throw Failure(description: "escrow holds \(state.governance.escrowed), not \(escrow)")
        }
        for (id, expected) in end["listings"]?.object ?? [:] {
            guard let listing = UInt64(id).flatMap({ state.listings[$0] }) else { throw Failure(description: "there is no listing \(id)") }
            let actual: [String: String] = [
                "owner": listing.owner.description, "creator": listing.creator.description, "price": listing.price.description,
                "paused": "\(listing.paused)", "delisted": "\(listing.delisted)",
            ]
            for (key, value) in expected.object where try Self.normalised(actual[key] ?? "?") != normalised(value) {
                throw Failure(description: "listing \(id)'s \(key) is \(actual[key] ?? "not kept"), not \(value)")
            }
        }
        for (id, expected) in end["purchases"]?.object ?? [:] {
            guard let purchase = UInt64(id).flatMap({ state.purchases[$0] }) else { throw Failure(description: "there is no purchase \(id)") }
            guard purchase.escrow.rawValue == expected.description else {
                throw Failure(description: "purchase \(id) is \(purchase.escrow.rawValue), not \(expected)")
            }
        }
        for (id, expected) in end["licences"]?.object ?? [:] {
            guard let purchase = UInt64(id).flatMap({ state.purchases[$0] }) else { throw Failure(description: "there is no purchase \(id)") }
            guard purchase.licenceStatus(at: now).rawValue == expected.description else {
                throw Failure(description: "the licence of purchase \(id) is \(purchase.licenceStatus(at: now).rawValue), not \(expected)")
            }
        }
    }
}

/// A scenario file's JSON, with booleans and numbers kept apart.
enum ScenarioJSON: Decodable, CustomStringConvertible {
    case bool(Bool), number(String), string(String), array([ScenarioJSON]), object([String: ScenarioJSON]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(UInt64.self) { self = .number(String(number)) }
        else if let number = try? container.decode(Int64.self) { self = .number(String(number)) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([ScenarioJSON].self) { self = .array(array) }
        else { self = .object(try container.decode([String: ScenarioJSON].self)) }
    }

    /// A scalar as the suite compares it: numbers in decimal, booleans as true/false.
    var description: String {
        switch self {
        case .bool(let value): value ? "true" : "false"
        case .number(let text), .string(let text): text
        case .null: "null"
        case .array(let values): "\(values)"
        case .object(let values): "\(values)"
        }
    }

    subscript(key: String) -> ScenarioJSON? {
        if case .object(let values) = self { return values[key] }
        return nil
    }

    var object: [String: ScenarioJSON] {
        if case .object(let values) = self { return values }
        return [:]
    }

    var array: [ScenarioJSON] {
        if case .array(let values) = self { return values }
        return []
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
