import Foundation
public import LightboxCrypto

/// A contract's interface read from its JSON ABI (as `contracts/build/<Name>.json` carries it): its functions,
/// events and errors, each able to encode and decode what crosses the chain.
public struct ContractABI: Sendable {
    /// A function's or event's input, or a function's output.
    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let type: ABIType
        public let indexed: Bool
    }

    public struct Function: Sendable {
        public let name: String
        public let inputs: [Parameter]
        public let outputs: [Parameter]
        public let stateMutability: String
        /// `name(types)`, as the selector hashes it.
        public let signature: String
        public let selector: [UInt8]

        /// Whether calling it changes nothing (`view` or `pure`): read with `eth_call`.
        public var isReadOnly: Bool { stateMutability == "view" || stateMutability == "pure" }

        /// The call data: the selector, then the arguments.
        /// - Throws: ``EVMError`` `.encoding` when an argument does not fit its type.
        public func encodeCall(_ arguments: [ABIValue]) throws(EVMError) -> [UInt8] {
            guard arguments.count == inputs.count else {
                throw EVMError(.encoding, "\(signature) takes \(inputs.count) arguments, got \(arguments.count)")
            }
            return selector + (try ABI.encode(arguments, as: inputs.map(\.type)))
        }

        /// The values a call returned.
        public func decodeOutput(_ data: [UInt8]) throws(EVMError) -> [ABIValue] {
            try ABI.decode(outputs.map(\.type), from: data)
        }
    }

    public struct Event: Sendable {
        public let name: String
        public let inputs: [Parameter]
        public let anonymous: Bool
        public let signature: String
        /// topic 0: Keccak-256 of the signature.
        public let topic: [UInt8]

        /// The event's arguments by position, from a log's topics and data. An indexed argument of a dynamic type is
        /// only its hash in the log, and comes back as that 32-byte hash.
        /// - Throws: ``EVMError`` `.encoding` when the log is not this event.
        public func decode(topics: [[UInt8]], data: [UInt8]) throws(EVMError) -> [ABIValue] {
            var topicIndex = anonymous ? 0 : 1
            guard anonymous || topics.first == topic else { throw EVMError(.encoding, "the log is not a \(name) event") }
            let indexedCount = inputs.filter(\.indexed).count
            guard topics.count == topicIndex + indexedCount else {
                throw EVMError(.encoding, "a \(name) log has \(topics.count) topics, expected \(topicIndex + indexedCount)")
            }
            var unindexed = try ABI.decode(inputs.filter { !$0.indexed }.map(\.type), from: data)[...]
            var values = [ABIValue]()
            for input in inputs {
                if input.indexed {
                    let word = topics[topicIndex]
                    topicIndex += 1
                    values.append(input.type.isDynamic || input.type.isComposite
                        ? .fixedBytes(word) : try ABI.decode([input.type], from: word)[0])
                } else {
                    values.append(unindexed.removeFirst())
                }
            }
            return values
        }
    }

    /// A custom error a function may revert with.
    public struct ErrorDefinition: Sendable {
        public let name: String
        public let inputs: [Parameter]
        public let signature: String
        public let selector: [UInt8]
    }

    public let functions: [Function]
    public let events: [Event]
    public let errors: [ErrorDefinition]
    /// The constructor's arguments (none when the ABI declares no constructor).
    public let constructorInputs: [Parameter]

    /// Reads a JSON ABI: an array of entries, or an object with an `abi` member (a build artifact).
    /// - Throws: ``EVMError`` `.encoding` naming the entry that does not parse.
    public init(json bytes: [UInt8]) throws(EVMError) {
        let json = Data(bytes)
        let entries: [Entry]
        do {
            if let artifact = try? JSONDecoder().decode(Artifact.self, from: json) {
                entries = artifact.abi
            } else {
                entries = try JSONDecoder().decode([Entry].self, from: json)
            }
        } catch {
            throw EVMError(.encoding, "the ABI is not a JSON ABI: \(error)")
        }
        var functions = [Function](), events = [Event](), errors = [ErrorDefinition](), constructorInputs = [Parameter]()
        for entry in entries {
            let name = entry.name ?? ""
            let inputs = try (entry.inputs ?? []).map { (parameter) throws(EVMError) in try parameter.parsed() }
            let signature = "\(name)(\(inputs.map(\.type.description).joined(separator: ",")))"
            switch entry.type {
            case "function":
                let outputs = try (entry.outputs ?? []).map { (parameter) throws(EVMError) in try parameter.parsed() }
                functions.append(Function(name: name, inputs: inputs, outputs: outputs,
                                          stateMutability: entry.stateMutability ?? "nonpayable",
                                          signature: signature, selector: ABI.selector(signature)))
            case "event":
                events.append(Event(name: name, inputs: inputs, anonymous: entry.anonymous ?? false, signature: signature,
                                    topic: Keccak256.hash(Array(signature.utf8))))
            case "error":
                errors.append(ErrorDefinition(name: name, inputs: inputs, signature: signature, selector: ABI.selector(signature)))
            case "constructor":
                constructorInputs = inputs
            default:
                continue  // fallback, receive
            }
        }
        self.functions = functions
        self.events = events
        self.errors = errors
        self.constructorInputs = constructorInputs
    }

    /// The function named `name`; it must not be overloaded (use ``function(signature:)`` for those).
    /// - Throws: ``EVMError`` `.configuration` when there is no such function, or several.
    public func function(_ name: String) throws(EVMError) -> Function {
        let matches = functions.filter { $0.name == name }
        guard matches.count == 1 else {
            throw EVMError(.configuration, matches.isEmpty
                ? "the contract's ABI has no function \(name)"
                : "the contract's ABI overloads \(name): name it by signature")
        }
        return matches[0]
    }

    /// The function with this exact signature, `name(types)`.
    public func function(signature: String) throws(EVMError) -> Function {
        guard let match = functions.first(where: { $0.signature == signature }) else {
            throw EVMError(.configuration, "the contract's ABI has no function \(signature)")
        }
        return match
    }

    /// The event named `name`.
    public func event(_ name: String) throws(EVMError) -> Event {
        guard let match = events.first(where: { $0.name == name }) else {
            throw EVMError(.configuration, "the contract's ABI has no event \(name)")
        }
        return match
    }

    /// The event a log's topic 0 names, if the contract declares it.
    public func event(topic: [UInt8]) -> Event? {
        events.first { !$0.anonymous && $0.topic == topic }
    }

    // MARK: JSON

    private struct Artifact: Decodable { let abi: [Entry] }

    private struct Entry: Decodable {
        let type: String
        let name: String?
        let inputs: [JSONParameter]?
        let outputs: [JSONParameter]?
        let stateMutability: String?
        let anonymous: Bool?
    }

    private struct JSONParameter: Decodable {
        let name: String?
        let type: String
        let indexed: Bool?
        let components: [JSONParameter]?

        func parsed() throws(EVMError) -> Parameter {
            Parameter(name: name ?? "", type: try abiType(), indexed: indexed ?? false)
        }

        func abiType() throws(EVMError) -> ABIType {
            let members = try components.map { (list) throws(EVMError) in
                try list.map { (member) throws(EVMError) in try member.abiType() }
            }
            return try ABIType(parsing: type, components: members)
        }
    }
}

extension ABIType {
    /// Tuples and arrays: indexed in a log as the hash of their encoding even when static.
    var isComposite: Bool {
        switch self {
        case .tuple, .array, .fixedArray: true
        default: false
        }
    }
}
