import Foundation

/// The job kinds a worker can run, by name.
public struct JobRegistry: Sendable {
    struct Handler: Sendable {
        let queue: String
        let backoff: Backoff
        let run: @Sendable ([UInt8], JobContext) async throws -> Void
    }

    private(set) var handlers: [String: Handler] = [:]
    /// Kinds a worker also takes from queues other than their default one, by queue.
    private var routes: [String: Set<String>] = [:]

    public init() {}

    /// Adds a kind; a later registration of the same name replaces the earlier one.
    public mutating func register<Kind: JobKind>(_ kind: Kind) {
        handlers[Kind.name] = Handler(queue: Kind.queue, backoff: Kind.backoff) { bytes, context in
            let payload: Kind.Payload
            do {
                payload = try JSONDecoder().decode(Kind.Payload.self, from: Data(bytes))
            } catch {
                throw JobQueueError(
                    .payloadUndecodable,
                    "the payload of job \(context.jobID) does not decode as \(Kind.name)'s payload (\(Self.describe(error))); its type changed since the job was enqueued, so it can never run: fix or cancel it"
                )
            }
            try await kind.run(payload, context: context)
        }
    }

    /// The names of the kinds registered.
    public var kinds: [String] { handlers.keys.sorted() }

    /// Takes `Kind`'s jobs from `queue` as well as from its default queue: for jobs an enqueue sends to a queue of
    /// its own (the enqueue's `queue` option), such as those only some processes can run.
    public mutating func route<Kind: JobKind>(_ kind: Kind.Type, alsoFrom queue: String) {
        routes[queue, default: []].insert(Kind.name)
    }

    /// The names of the kinds taken from `queue`: those whose default queue it is, and those routed to it.
    func kinds(onQueue queue: String) -> [String] {
        handlers.filter { $0.value.queue == queue || routes[queue]?.contains($0.key) == true }.keys.sorted()
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _):
            return "missing \(key.stringValue)"
        default:
            return "\(error)"
        }
    }
}
