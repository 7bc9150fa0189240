/// One parser of untrusted bytes, as a fuzzer drives it: bytes in, and either the parser accepts them, refuses them
/// with its own error, or the process crashes (a trap, a failed check of an invariant, a sanitizer report), which is
/// the bug a fuzzer looks for. The same function replays a checked-in corpus in the test suite.
public struct FuzzTarget: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The parser read the input without a complaint.
        case accepted
        /// The parser refused the input, or read it with findings, as it should for bad input.
        case refused
    }

    /// The name `ops/fuzz` and the corpus folder know it by.
    public let name: String
    /// What the input is, in a few words.
    public let summary: String
    private let body: @Sendable ([UInt8]) -> Outcome

    init(name: String, summary: String, body: @escaping @Sendable ([UInt8]) -> Outcome) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    /// Feeds one input to the parser. Crashes when the parser breaks one of its invariants.
    public func run(_ input: [UInt8]) -> Outcome { body(input) }

    /// Every target, in the order `ops/fuzz --list` shows them.
    public static let all: [FuzzTarget] = [
        .coco, .yolo, .voc, .tar, .car, .unixfs, .cid, .png, .jpeg, .intent, .config,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Stops the process when a parser breaks a promise it makes about what it accepted: the fuzzer records the input.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
