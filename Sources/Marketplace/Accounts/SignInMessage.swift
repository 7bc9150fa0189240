public import Foundation
public import LightboxCrypto

/// The text an account signs to sign in, in the EIP-4361 ("Sign-In with Ethereum") layout, so a wallet shows it
/// as a sign-in request for this domain:
///
///     lightbox.example wants you to sign in with your Ethereum account:
///     0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B
///
///     Sign in to Lightbox.
///
///     URI: https://lightbox.example
///     Version: 1
///     Chain ID: 1337
///     Nonce: 8f3kq0ZrM2x1
///     Issued At: 2026-11-21T10:00:00Z
///     Expiration Time: 2026-11-21T10:05:00Z
///
/// It is signed with `personal_sign` (EIP-191): Keccak-256 of "\u{19}Ethereum Signed Message:\n", the message's
/// length in bytes, and the message.
public struct SignInMessage: Sendable, Equatable {
    public let domain: String
    public let address: EthereumAddress
    public let uri: String
    public let chainID: UInt64
    public let nonce: String
    public let issuedAt: Date
    public let expiresAt: Date

    public static let statement = "Sign in to Lightbox."

    public init(domain: String, address: EthereumAddress, uri: String, chainID: UInt64, nonce: String, issuedAt: Date, expiresAt: Date) {
        self.domain = domain
        self.address = address
        self.uri = uri
        self.chainID = chainID
        self.nonce = nonce
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// The exact text to sign.
    public var text: String {
        """
        \(domain) wants you to sign in with your Ethereum account:
        \(address)

        \(Self.statement)

        URI: \(uri)
        Version: 1
        Chain ID: \(chainID)
        Nonce: \(nonce)
        Issued At: \(Self.timestamp(issuedAt))
        Expiration Time: \(Self.timestamp(expiresAt))
        """
    }

    /// The nonce named in a message's text, if it has one (the server looks the challenge up by it).
    public static func nonce(in text: String) -> String? {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .first { $0.hasPrefix("Nonce: ") }
            .map { String($0.dropFirst("Nonce: ".count)) }
    }

    /// The EIP-191 digest `personal_sign` signs.
    public static func digest(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(bytes.count)".utf8) + bytes)
    }

    /// Signs `text` as `personal_sign` does: 65 bytes, r ‖ s ‖ v with v = 27 or 28.
    public static func sign(_ text: String, with key: Secp256k1.PrivateKey) throws -> [UInt8] {
        try key.sign(digest: digest(text)).ethereumBytes
    }

    /// The account that signed `text`, or nil when the signature is malformed.
    public static func signer(of text: String, signature: [UInt8]) -> EthereumAddress? {
        guard let signature = try? Secp256k1.RecoverableSignature(ethereumBytes: signature),
              let key = try? signature.recoverPublicKey(digest: digest(text))
        else { return nil }
        return EthereumAddress(publicKey: key)
    }

    static func timestamp(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }
}
