/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-21T01:02:03Z info lightbox: key=value message`, for people.
    case plain
    /// One JSON object per line, for log collectors.
    case json
}
