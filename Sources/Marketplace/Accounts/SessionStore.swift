public import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// Sign-in: one-time challenges and the short-lived bearer tokens they are exchanged for.
///
/// A challenge is stored with its exact text and used at most once; a token is 32 random bytes (base64url) of
/// which only the SHA-256 is stored, so the table cannot be replayed from a database dump.
public struct SessionStore: Sendable {
    let database: any Database
    let domain: String
    let uri: String
    let chainID: UInt64
    /// How long a challenge may wait for its signature.
    public var challengeLifetime: TimeInterval = 300
    /// How long a token lasts.
    public var tokenLifetime: TimeInterval = 3600
    /// How many unused, unexpired challenges one address may have at once.
    public var challengesPerAddress = 5

    public init(database: any Database, domain: String, uri: String, chainID: UInt64) {
        self.database = database
        self.domain = domain
        self.uri = uri
        self.chainID = chainID
    }

    /// A new challenge for `address`.
    /// - Throws: ``MarketplaceError`` `.rateLimited` when the address already has its most open challenges.
    public func challenge(for address: EthereumAddress, now: Date = Date(), logger: Logger) async throws -> SignInMessage {
        let nonce = SecureRandom.bytes(count: 12).hexString
        let message = SignInMessage(
            domain: domain, address: address, uri: uri, chainID: chainID, nonce: nonce, issuedAt: now,
            expiresAt: now.addingTimeInterval(challengeLifetime))
        let limit = Int64(challengesPerAddress)
        let lifetime = Int(challengeLifetime)
        try await database.withTransaction(logger: logger) { connection in
            try await connection.lock("market.challenges." + address.description)
            let open = try await connection.query(
                """
                SELECT COUNT(*) AS n FROM market_challenges
                WHERE address = \(address.description) AND used = \(false) AND expires_at >= \(Int64(now.timeIntervalSince1970))
                """
            ).first?.decode("n", as: Int64.self) ?? 0
            guard open < limit else {
                throw MarketplaceError(
                    .rateLimited, "\(address) already has \(open) sign-in challenges waiting; sign one of them, or wait up to \(lifetime) s for them to expire")
            }
            try await connection.execute(
                """
                INSERT INTO market_challenges (nonce, address, message, expires_at, used)
                VALUES (\(nonce), \(address.description), \(message.text), \(Int64(message.expiresAt.timeIntervalSince1970)), \(false))
                """)
        }
        return message
    }

    /// Removes challenges and tokens that have expired (challenges an hour after, so a late signature still gets
    /// the "expired" answer for a while); returns how many rows went.
    @discardableResult
    public func purgeExpired(now: Date = Date(), logger: Logger) async throws -> Int {
        let seconds = Int64(now.timeIntervalSince1970)
        return try await database.withTransaction(logger: logger) { connection in
            try await connection.execute("DELETE FROM market_challenges WHERE expires_at < \(seconds - 3600) OR used = \(true)")
                + connection.execute("DELETE FROM market_tokens WHERE expires_at < \(seconds)")
        }
    }

    /// A signed-in session: the token and its account.
    public struct Session: Sendable {
        public let token: String
        public let address: EthereumAddress
        public let expiresAt: Date
    }

    /// Exchanges a signed challenge for a token.
    /// - Throws: ``MarketplaceError`` `.unauthenticated` when the message is not an unused, unexpired challenge
    ///   of this server or the signature is not by its account.
    public func signIn(message text: String, signature: [UInt8], now: Date = Date(), logger: Logger) async throws -> Session {
        guard let nonce = SignInMessage.nonce(in: text) else {
            throw MarketplaceError(.unauthenticated, "the message names no nonce; sign the text of a challenge from POST /v1/auth/challenge")
        }
        guard let signer = SignInMessage.signer(of: text, signature: signature) else {
            throw MarketplaceError(.unauthenticated, "the signature is malformed: 65 bytes r ‖ s ‖ v, as personal_sign makes")
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        // Used once: only the first exchange flips `used`.
        let claimed = try await database.execute(
            """
            UPDATE market_challenges SET used = \(true)
            WHERE nonce = \(nonce) AND message = \(text) AND address = \(signer.description)
              AND used = \(false) AND expires_at >= \(nowSeconds)
            """, logger: logger)
        guard claimed == 1 else {
            throw MarketplaceError(
                .unauthenticated,
                "this sign-in was refused: the challenge is unknown, used, expired, altered, or signed by another account; ask for a new one")
        }
        let token = Self.base64url(SecureRandom.bytes(count: 32))
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        try await database.execute(
            """
            INSERT INTO market_tokens (token_hash, address, expires_at)
            VALUES (\(SHA256.hash(Array(token.utf8)).hexString), \(signer.description), \(Int64(expiresAt.timeIntervalSince1970)))
            """, logger: logger)
        return Session(token: token, address: signer, expiresAt: expiresAt)
    }

    /// The account a bearer token belongs to.
    /// - Throws: ``MarketplaceError`` `.unauthenticated` for an unknown or expired token.
    public func account(token: String, now: Date = Date(), logger: Logger) async throws -> EthereumAddress {
        let rows = try await database.query(
            "SELECT address, expires_at FROM market_tokens WHERE token_hash = \(SHA256.hash(Array(token.utf8)).hexString)",
            logger: logger)
        guard let row = rows.first else {
            throw MarketplaceError(.unauthenticated, "the bearer token is not one this server issued; sign in again")
        }
        guard try row.decode("expires_at", as: Int64.self) >= Int64(now.timeIntervalSince1970) else {
            throw MarketplaceError(.unauthenticated, "the bearer token has expired; sign in again")
        }
        return try EthereumAddress(try row.decode("address", as: String.self))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
