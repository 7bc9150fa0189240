import Foundation
import NIOHTTP1

/// Follows a publication to its end, printing each state as it comes, and signs what the owner must sign: the
/// approval of the node as operator (once) and the Mint.
struct PublicationFollower {
    let market: MarketClient
    let id: String
    /// Where each state and signature is told; nil to say nothing.
    let say: ((String) -> Void)?
    /// How often the publication is asked for.
    var interval: Duration = .milliseconds(300)

    /// Waits until the listing is active (within `timeout` seconds); returns the last status.
    /// - Throws: ``CommandError`` when the dataset is rejected (with its report's summary) or a step keeps failing.
    func untilListed(timeout: Double = 3600) async throws -> [String: Any] {
        let start = Date()
        var last = ""
        var signedAt = ""
        while Date().timeIntervalSince(start) < timeout {
            let status = try await market.call(.GET, "/v1/publications/\(id)")
            let publication = status["publication"] as? [String: Any] ?? [:]
            let state = publication["state"] as? String ?? "?"
            if state != last { say?("publication \(id): \(state)") }
            last = state
            switch state {
            case "active":
                return status
            case "rejected":
                let report = publication["report"] as? [String: Any] ?? [:]
                throw CommandError(
                    "the dataset was turned away (score \(ClientOutput.string(report, "score")), \(ClientOutput.string(report, "errors")) errors): "
                        + "\(publication["error"] as? String ?? "its quality check failed"); see GET /v1/publications/\(id)/report and its contact sheets")
            case "awaiting_signature", "failed":
                guard let mint = status["mint_intent"] else {
                    throw CommandError("publication \(id) failed: \(publication["error"] as? String ?? "no reason given")")
                }
                let key = "\(state):\(publication["updated_at"] ?? "")"
                if key != signedAt {
                    signedAt = key
                    if let approval = status["operator_intent"] {
                        try await market.call(.POST, "/v1/intents", bytes: try await market.sign(shown: approval))
                        say?("approved the node as operator, to deliver to buyers")
                    }
                    try await market.call(.POST, "/v1/publications/\(id)/mint", bytes: try await market.sign(shown: mint))
                    say?("signed the listing's Mint")
                }
            default:
                break
            }
            try await Task.sleep(for: interval)
        }
        throw CommandError("publication \(id) is still \(last) after \(Int(timeout)) s; run the command again to keep following it")
    }
}
