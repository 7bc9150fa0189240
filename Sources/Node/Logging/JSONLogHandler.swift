import Foundation
public import Logging

/// A `LogHandler` that writes one JSON object per line to standard error:
/// `{"time":"…","level":"info","label":"lightbox","message":"…","metadata":{…}}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let stream: Stream

    /// Where lines go.
    public enum Stream: Sendable {
        case standardError, standardOutput
    }

    public init(label: String, stream: Stream = .standardError) {
        self.label = label
        self.stream = stream
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "{\"time\":\(JSONText.quote(Self.timestamp()))"
        line += ",\"level\":\(JSONText.quote(event.level.rawValue))"
        line += ",\"label\":\(JSONText.quote(label))"
        line += ",\"message\":\(JSONText.quote(event.message.description))"
        if !merged.isEmpty {
            line += ",\"metadata\":{"
            line += merged.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\(Self.json($0.value))" }
                .joined(separator: ",")
            line += "}"
        }
        line += ",\"source\":\(JSONText.quote(event.source))}\n"
        let handle: FileHandle = stream == .standardError ? .standardError : .standardOutput
        handle.write(Data(line.utf8))
    }

    private static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): JSONText.quote(text)
        case .stringConvertible(let value): JSONText.quote(value.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{" + values.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
