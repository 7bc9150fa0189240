import Foundation
import Node
import NIOCore
import NIOPosix

/// Checks that the HTTP address can be bound before anything is created on disk.
enum PortCheck {
    /// Binds and releases `host:port` the way the server will (port 0 is always free).
    /// - Throws: ``NodeError`` with code `portInUse` or `listen`.
    static func ensureAvailable(host: String, port: Int) async throws {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close()
        } catch {
            throw listenError(error, host: host, port: port)
        }
    }

    /// Turns a bind failure into a message that says what to do.
    static func listenError(_ error: any Error, host: String, port: Int) -> NodeError {
        if let io = error as? IOError, io.errnoCode == EADDRINUSE {
            return NodeError(
                .portInUse,
                "cannot listen on \(host):\(port): the address is already in use; stop the other process or choose another port with --port"
            )
        }
        return NodeError(.listen, "cannot listen on \(host):\(port): \(error); check --host and --port")
    }
}
