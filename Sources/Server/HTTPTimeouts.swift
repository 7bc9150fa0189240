/// The HTTP server's connection time-outs.
public struct HTTPTimeouts: Sendable, Equatable {
    /// How long a client has to send a whole request head, from connecting or from the end of the last response.
    public var header: Duration
    /// How long a connection may send and receive nothing before it is closed.
    public var idle: Duration

    public init(header: Duration = .seconds(10), idle: Duration = .seconds(60)) {
        self.header = header
        self.idle = idle
    }
}
