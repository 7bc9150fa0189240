/// A JSON document (RFC 8259, UTF-8) that knows the 1-based line each of its values starts on.
///
/// Parsing builds a flat tape of nodes over the source bytes rather than a tree of values, so a COCO file of
/// hundreds of megabytes costs its bytes plus 24 bytes per value; strings are decoded only when asked for.
/// Nesting deeper than ``maximumDepth`` is a syntax error, so hostile input cannot exhaust the stack or memory.
public struct LocatedJSON: Sendable {
    /// Why the bytes are not JSON, and where: 1-based line and column (the column counts Unicode scalars).
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        /// What the parser expected or found, e.g. `expected ',' or '}' after an object member`.
        public var reason: String

        public init(line: Int, column: Int, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        /// `line:column: reason`.
        public var description: String { "\(line):\(column): \(reason)" }
    }

    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    let storage: Storage

    /// Parses a whole document: one value with optional whitespace around it, after an optional UTF-8 byte order
    /// mark.
    public init(parsing bytes: [UInt8]) throws(SyntaxError) {
        let (nodes, lines) = try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) in
            var parser = JSONTapeParser(buffer)
            return (try parser.parse(), parser.lineCount)
        }
        storage = Storage(source: bytes, nodes: nodes, lineCount: lines)
    }

    /// The top-level value.
    public var root: Value { Value(storage: storage, index: 0) }

    /// One node of the tape. Numbers keep their bits in `a` (and an exact integer in `b` when written as one);
    /// strings their raw byte range `a..<b` between the quotes; arrays and objects their child count in `a` and the
    /// index after their last descendant in `b` (an object's children alternate key, value).
    struct Node {
        var a: UInt64
        var b: Int
        var line: UInt32
        var kind: Value.Kind
        var flags: UInt8
        /// The byte column the value starts at (0 when beyond 65,535), in what would otherwise be padding.
        var column: UInt16

        static let integerLiteral: UInt8 = 1
        static let hasEscapes: UInt8 = 2
        static let exactInteger: UInt8 = 4
    }

    final class Storage: Sendable {
        let source: [UInt8]
        let nodes: [Node]
        let lineCount: Int
        init(source: [UInt8], nodes: [Node], lineCount: Int) {
            self.source = source
            self.nodes = nodes
            self.lineCount = lineCount
        }
    }
}

extension LocatedJSON.Node: Sendable {}

extension LocatedJSON {
    /// A value in the document: cheap to copy (a reference and an index).
    public struct Value: Sendable {
        /// The JSON type of a value.
        public enum Kind: UInt8, Sendable, Hashable {
            case null, bool, number, string, array, object
        }

        let storage: Storage
        let index: Int

        var node: Node { storage.nodes[index] }

        /// The value's type.
        public var kind: Kind { node.kind }
        /// The 1-based line the value starts on.
        public var line: Int { Int(node.line) }
        /// The 1-based column (in bytes) the value starts at, when within the first 65,535 of its line.
        public var column: Int? { node.column == 0 ? nil : Int(node.column) }
        /// Whether the document has more than one line (so that a line and column say where a value is).
        public var documentHasLines: Bool { storage.lineCount > 1 }

        /// The boolean, when the value is `true` or `false`.
        public var bool: Bool? { kind == .bool ? node.a != 0 : nil }

        /// The number, when the value is one (never NaN or infinite: JSON cannot write those).
        public var number: Double? { kind == .number ? Double(bitPattern: node.a) : nil }

        /// Whether the number was written as an integer: no fraction, no exponent.
        public var isIntegerLiteral: Bool { kind == .number && node.flags & Node.integerLiteral != 0 }

        /// The number as an `Int` when its value is a whole number that an `Int` holds exactly (`12`, `12.0` and
        /// `1.2e1` all give 12; integer literals are exact across the whole `Int` range).
        public var int: Int? {
            guard kind == .number else { return nil }
            if node.flags & Node.exactInteger != 0 { return node.b }
            let value = Double(bitPattern: node.a)
            guard value.rounded(.towardZero) == value, abs(value) < 9.007_199_254_740_992e15 else { return nil }
            return Int(value)
        }

        /// The decoded string, when the value is one.
        public var string: String? {
            guard kind == .string else { return nil }
            return JSONStrings.decode(storage.source, node: node)
        }

        /// The number of elements of an array or members of an object; 0 otherwise.
        public var count: Int {
            kind == .array || kind == .object ? Int(node.a) : 0
        }

        /// An array's elements in order; empty for anything else.
        public var elements: Elements { Elements(storage: storage, container: kind == .array ? index : nil) }

        /// An object's members in order, keys decoded; empty for anything else.
        public var members: Members { Members(storage: storage, container: kind == .object ? index : nil) }

        /// An object's member named `key` (the last one when the key is repeated, as most parsers do); nil when the
        /// value is not an object or has no such member.
        public subscript(key: String) -> Value? {
            guard kind == .object else { return nil }
            return lookUp(key)
        }

        private func lookUp(_ key: String) -> Value? {
            var key = key
            return key.withUTF8 { key in
                storage.nodes.withUnsafeBufferPointer { nodes in
                    storage.source.withUnsafeBufferPointer { source in
                        var child = index + 1
                        var found: Int?
                        for _ in 0..<Int(nodes[index].a) {
                            let valueIndex = child + 1
                            if JSONStrings.equals(source, node: nodes[child], key) { found = valueIndex }
                            let value = nodes[valueIndex]
                            child = value.kind == .array || value.kind == .object ? value.b : valueIndex + 1
                        }
                        return found.map { Value(storage: storage, index: $0) }
                    }
                }
            }
        }

        /// An array's elements as numbers; nil when the value is not an array or an element is not a number.
        public var numbers: [Double]? {
            guard kind == .array else { return nil }
            return storage.nodes.withUnsafeBufferPointer { nodes -> [Double]? in
                let count = Int(nodes[index].a)
                var out: [Double] = []
                out.reserveCapacity(count)
                var child = index + 1
                for _ in 0..<count {
                    let node = nodes[child]
                    guard node.kind == .number else { return nil }
                    out.append(Double(bitPattern: node.a))
                    child += 1
                }
                return out
            }
        }

        static func next(after index: Int, in nodes: [Node]) -> Int {
            let node = nodes[index]
            return node.kind == .array || node.kind == .object ? node.b : index + 1
        }
    }

    /// An array's elements, in order.
    public struct Elements: Sequence, Sendable {
        let storage: Storage
        let container: Int?

        /// How many elements the array has.
        public var count: Int { container.map { Int(storage.nodes[$0].a) } ?? 0 }

        public func makeIterator() -> Iterator {
            Iterator(storage: storage, cursor: (container ?? 0) + 1, remaining: count)
        }

        public struct Iterator: IteratorProtocol {
            let storage: Storage
            var cursor: Int
            var remaining: Int

            public mutating func next() -> Value? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let value = Value(storage: storage, index: cursor)
                cursor = Value.next(after: cursor, in: storage.nodes)
                return value
            }
        }
    }

    /// An object's members, in order, with decoded keys.
    public struct Members: Sequence, Sendable {
        let storage: Storage
        let container: Int?

        /// How many members the object has.
        public var count: Int { container.map { Int(storage.nodes[$0].a) } ?? 0 }

        public func makeIterator() -> Iterator {
            Iterator(storage: storage, cursor: (container ?? 0) + 1, remaining: count)
        }

        public struct Iterator: IteratorProtocol {
            let storage: Storage
            var cursor: Int
            var remaining: Int

            public mutating func next() -> (key: String, value: Value)? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let key = JSONStrings.decode(storage.source, node: storage.nodes[cursor])
                let value = Value(storage: storage, index: cursor + 1)
                cursor = Value.next(after: cursor + 1, in: storage.nodes)
                return (key, value)
            }
        }
    }
}
