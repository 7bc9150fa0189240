import Foundation
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Server
import Testing

/// Bad and abusive requests get a 4xx that says what is wrong, never a 500 or a type name, and no single client
/// can hold the node: bounded parsing, rate limits, sign-in challenges, connection time-outs. Over real HTTP.
@Suite("Marketplace: request limits")
struct RequestLimitsTests {
    @Test("oversized identifiers, searches, bodies and hostile names get a 400 that says what to do")
    func boundedParsing() async throws {
        try await MarketplaceHarness.run(.sqlite) { node in
            let huge = try await node.call(.GET, "/ipfs/z" + String(repeating: "3", count: 80_000))
            #expect(huge.status == 400 && huge.text.contains("at most 512"), "\(huge.text.prefix(300))")

            let long = try await node.call(.GET, "/v1/listings?q=" + (0..<1000).map { "word\($0)" }.joined(separator: "%20"))
            #expect(long.status == 400 && long.text.contains("at most 512 bytes"), "\(long.text.prefix(300))")
            let many = try await node.call(.GET, "/v1/listings?q=" + (10..<40).map { "w\($0)" }.joined(separator: "%20"))
            #expect(many.status == 400 && many.text.contains("at most 16"), "\(many.text.prefix(300))")
            let labels = (0..<40).map { "label=l\($0)" }.joined(separator: "&")
            #expect(try await node.call(.GET, "/v1/listings?" + labels).status == 400)

            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let wrongType = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": ["not": "a string"], "title": "t", "task": "detection", "price": "1", "licence": "commercial",
            ])
            #expect(wrongType.status == 400 && wrongType.text.contains("upload_id must be a string"), "\(wrongType.text)")
            for leak in ["Dictionary", "Swift.", "DecodingError", "Any>"] { #expect(!wrongType.text.contains(leak), "\(wrongType.text)") }
            let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            let nested = try await node.call(.POST, "/v1/intents", token: token, bytes: Array(deep.utf8))
            #expect(nested.status == 400 && nested.text.contains("nested"), "\(nested.text.prefix(300))")

            let created = try await node.call(.POST, "/v1/uploads", token: token)
            let upload = try #require((created.json["upload"] as? [String: Any])?["id"] as? String)
            // Bytes that are not UTF-8 never reach a route (the router answers 404); a name that reads differently
            // from what it is, or hides a control character, gets 400 naming the character.
            let invalid = try await node.call(.PUT, "/v1/uploads/\(upload)/files/images/%C0%AE.png", token: token, bytes: [1, 2, 3])
            #expect((400..<500).contains(invalid.status), "\(invalid.text)")
            for (name, words) in [("a%E2%80%AEgnp.jpg", "U+202E"), ("%C2%85x.png", "U+85"), ("x%E2%81%A6.png", "U+2066")] {
                let reply = try await node.call(.PUT, "/v1/uploads/\(upload)/files/images/\(name)", token: token, bytes: [1, 2, 3])
                #expect(reply.status == 400 && reply.text.contains(words), "\(name): \(reply.text)")
            }
            #expect(try await node.market.uploads.files(of: upload, logger: MarketplaceHarness.logger).isEmpty)
        }
    }

    @Test("past a client's or an account's write rate: 429 with Retry-After; reads and other accounts are served")
    func rateLimits() async throws {
        // One token a minute after a burst of 3: however slow the machine, the fourth write comes too soon.
        let limits = RateLimits(client: .init(perSecond: 1000, burst: 1000), account: .init(perSecond: 1.0 / 60, burst: 3))
        try await MarketplaceHarness.run(.sqlite, rateLimits: limits) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            var statuses: [UInt] = []
            for _ in 0..<4 { statuses.append(try await node.call(.POST, "/v1/intents", token: token, json: [:] as [String: String]).status) }
            #expect(statuses.prefix(3).allSatisfy { $0 != 429 } && statuses[3] == 429, "\(statuses)")
            let limited = try await node.call(.POST, "/v1/intents", token: token, json: [:] as [String: String])
            let wait = Int(limited.retryAfter ?? "") ?? 0
            #expect(limited.status == 429 && (1...60).contains(wait) && limited.text.contains("account"), "\(limited.text)")
            // Reads are not counted, and another account has its own allowance.
            #expect(try await node.call(.GET, "/v1/account", token: token).status == 200)
            let other = try await node.signIn(Secp256k1.PrivateKey.random())
            #expect(try await node.call(.POST, "/v1/intents", token: other, json: [:] as [String: String]).status != 429)
        }
        let client = RateLimits(client: .init(perSecond: 1.0 / 60, burst: 3), account: .init(perSecond: 1000, burst: 1000))
        try await MarketplaceHarness.run(.sqlite, rateLimits: client) { node in
            var statuses: [UInt] = []
            for _ in 0..<4 {
                let address = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey).description
                statuses.append(try await node.call(.POST, "/v1/auth/challenge", json: ["address": address]).status)
            }
            #expect(statuses.prefix(3).allSatisfy { $0 < 300 } && statuses[3] == 429, "\(statuses)")
            #expect(try await node.call(.GET, "/healthz").status == 200)
        }
    }

    @Test("a bucket refills at its rate: service again once the wait Retry-After gave has passed")
    func refill() {
        let limiter = RateLimiter(.init(perSecond: 2, burst: 3))
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.admit("a", now: start) == nil) }
        let wait = limiter.admit("a", now: start)
        #expect(wait == .milliseconds(500))
        #expect(limiter.admit("b", now: start) == nil)
        #expect(limiter.admit("a", now: start + .milliseconds(499)) != nil)
        #expect(limiter.admit("a", now: start + .milliseconds(1001)) == nil)
    }

    @Test("an address has at most its number of sign-in challenges waiting; expired ones are purged")
    func challengesPerAddress() async throws {
        try await MarketplaceHarness.run(.sqlite, challengesPerAddress: 3) { node in
            let address = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey).description
            var statuses: [UInt] = []
            for _ in 0..<4 { statuses.append(try await node.call(.POST, "/v1/auth/challenge", json: ["address": address]).status) }
            #expect(statuses.prefix(3).allSatisfy { $0 < 300 } && statuses[3] == 429, "\(statuses)")
            let purged = try await node.market.sessions.purgeExpired(now: Date().addingTimeInterval(2 * 3600), logger: MarketplaceHarness.logger)
            #expect(purged >= 3)
            #expect(try await node.call(.POST, "/v1/auth/challenge", json: ["address": address]).status < 300)
        }
    }

    @Test("a client that trickles its request head is cut off by the header time-out while others are served")
    func headerTimeout() async throws {
        try await MarketplaceHarness.run(.sqlite, timeouts: HTTPTimeouts(header: .seconds(1), idle: .seconds(30))) { node in
            let port = try #require(URL(string: node.url)?.port)
            let socket = try SlowClient(port: port)
            defer { socket.close() }
            try socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            #expect(try await node.call(.GET, "/healthz").status == 200)
            // The head never ends: the server closes the connection (a read of 0 bytes), well before our 15 s wait.
            #expect(socket.readUntilClosed(waiting: 15) == .closed)
        }
    }
}

/// A raw TCP client that sends what it is told and waits for the server to close.
final class SlowClient {
    enum Ending: Equatable { case closed, timedOut, answered }
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Foundation.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Reads until the server closes (`closed`), sends anything (`answered`), or `seconds` pass (`timedOut`).
    func readUntilClosed(waiting seconds: Int) -> Ending {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count == 0 ? .closed : count > 0 ? .answered : .timedOut
    }

    func close() { _ = Foundation.close(descriptor) }
}
