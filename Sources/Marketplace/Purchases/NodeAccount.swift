import Foundation
public import Ledger
public import LightboxCrypto

/// The node's own ledger account: signs and submits the intents the node makes for others — deliveries for the
/// contributors who approved it as their operator, and releases of escrows whose acceptance deadline passed.
///
/// Actions that arrive while a submission is in flight wait and then go together, signed with consecutive nonces
/// from the account's next one as the ledger shows it, as one submission (one ledger batch). An action refused for
/// its own reasons leaves the nonces after it unused, and another process of the same node may take a nonce first:
/// the actions after such a gap are signed again with the next nonces.
public actor NodeAccount {
    let key: Secp256k1.PrivateKey
    let ledger: any LedgerBackend
    public nonisolated let address: EthereumAddress

    private typealias Waiting = (action: LedgerAction, continuation: CheckedContinuation<LedgerReceipt, any Error>)
    private var pending: [Waiting] = []
    private var submitting = false

    /// How long an intent the node signs stays valid.
    static let validity: UInt64 = 600
    /// How many times the actions behind a gap are signed again before they fail.
    static let resignings = 8
    /// The most actions one submission carries.
    static let maxGroup = 200

    public init(key: Secp256k1.PrivateKey, ledger: any LedgerBackend) {
        self.key = key
        self.ledger = ledger
        address = EthereumAddress(publicKey: key.publicKey)
    }

    /// Signs `action` with the account's next nonce and submits it.
    /// - Throws: ``LedgerError`` when the ledger refuses it, or a database error.
    @discardableResult
    public func submit(_ action: LedgerAction) async throws -> LedgerReceipt {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((action, continuation))
            if !submitting {
                submitting = true
                Task { await submitPending() }
            }
        }
    }

    private func submitPending() async {
        while !pending.isEmpty {
            let group = Array(pending.prefix(Self.maxGroup))
            pending.removeFirst(group.count)
            var waiting = group[...]
            var rounds = 0
            while !waiting.isEmpty {
                do {
                    let results = try await signAndSubmit(waiting.map(\.action))
                    var again: [Waiting] = []
                    var gap = false
                    for (item, result) in zip(waiting, results) {
                        switch result {
                        case .success(let receipt):
                            item.continuation.resume(returning: receipt)
                        case .failure(let error) where gap || [.replayed, .nonceGap].contains(error.code):
                            again.append(item)  // its nonce was taken, or is past an unused one: signed again
                            gap = true
                        case .failure(let error):
                            item.continuation.resume(throwing: error)  // refused for itself; its nonce stays unused
                            gap = true
                        }
                    }
                    waiting = again[...]
                    rounds += 1
                    if rounds > Self.resignings, !waiting.isEmpty {
                        for item in waiting {
                            item.continuation.resume(throwing: LedgerError(.nonceGap, "the node's account lost its nonce to other submissions \(rounds) times"))
                        }
                        waiting = []
                    }
                } catch {
                    for item in waiting { item.continuation.resume(throwing: error) }
                    waiting = []
                }
            }
        }
        submitting = false
    }

    /// Signs `actions` with consecutive nonces from the ledger's next one, and submits them as one batch.
    private func signAndSubmit(_ actions: [LedgerAction]) async throws -> [Result<LedgerReceipt, LedgerError>] {
        let first = try await ledger.nextNonce(of: address)
        let deadline = UInt64(Date().timeIntervalSince1970) + Self.validity
        let signed = try actions.enumerated().map { offset, action in
            try Intent(action, account: address, nonce: first + UInt64(offset), deadline: deadline).signed(by: key, domain: ledger.domain)
        }
        return try await ledger.submit(signed)
    }
}
