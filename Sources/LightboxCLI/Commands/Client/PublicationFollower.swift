import Foundation
import MarketAPI
import Marketplace
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
    /// - Throws: ``CommandError`` when the dataset is rejected (with its report's top findings) or a step keeps failing.
    func untilListed(timeout: Double = 3600) async throws -> PublicationResponse {
        let start = Date()
        var last: Publication.State?
        var signedAt = ""
        while Date().timeIntervalSince(start) < timeout {
            let status = try await market.get("/v1/publications/\(id)", as: PublicationResponse.self)
            let publication = status.publication
            if publication.state != last { say?("publication \(id): \(publication.state.rawValue)") }
            last = publication.state
            switch publication.state {
            case .active:
                return status
            case .rejected:
                throw CommandError(try await rejection(publication))
            case .awaitingSignature, .failed:
                guard let mint = status.mintIntent else {
                    throw CommandError("publication \(id) failed: \(publication.error ?? "no reason given")")
                }
                let key = "\(publication.state.rawValue):\(publication.updatedAt)"
                if key != signedAt {
                    signedAt = key
                    if let approval = status.operatorIntent {
                        _ = try await market.post(intent: try await market.sign(shown: approval)).receipt()
                        say?("approved the node as operator, to deliver to buyers")
                    }
                    _ = try await market.send(.POST, "/v1/publications/\(id)/mint", bytes: try await market.sign(shown: mint), contentType: "application/json", as: PublicationResponse.self)
                    say?("signed the listing's Mint")
                }
            default:
                break
            }
            try await Task.sleep(for: interval)
        }
        throw CommandError("publication \(id) is still \(last?.rawValue ?? "unknown") after \(Int(timeout)) s; run the command again to keep following it")
    }

    /// Why the dataset was turned away: its score, the checks that failed it (most findings first), and where the
    /// whole report is.
    func rejection(_ publication: Publication) async throws -> String {
        var lines = ["the dataset was turned away: \(publication.error ?? "its quality check failed")"]
        if let report = publication.report {
            lines.append("  score \(report.score), \(report.errors) errors, \(report.warnings) warnings over \(report.images) images")
        }
        let findings = (try? await market.raw(.GET, "/v1/publications/\(id)/report")).flatMap { try? ReportFindings(json: $0) }
        for finding in findings?.top(5) ?? [] { lines.append("  " + finding) }
        lines.append("  the whole report and its contact sheets: lightbox publication report \(id) --output DIR")
        return lines.joined(separator: "\n")
    }
}
