import ArgumentParser
import Foundation
import MarketAPI
import Marketplace
import NIOHTTP1

struct PublicationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publications", abstract: "Your publications, newest first, with their state, score and listing.")
    @OptionGroup var client: ClientOptions
    @Option(help: "How many (1–100).") var limit = 20

    func run() async throws {
        try await CommandFailure.guarding {
            let page = try await client.signedIn().get("/v1/publications?limit=\(limit)", as: Page<Publication>.self)
            ClientOutput.show(page, json: client.json) {
                page.items.isEmpty ? ["you have no publications; `lightbox publish DIR …` starts one"] : page.items.map(PublicationCommand.line)
            }
        }
    }
}

struct PublicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publication", abstract: "One of your publications.", subcommands: [Show.self, Report.self])

    /// One line for a publication: id, title, state, score, listing, and the error that stopped it.
    static func line(_ publication: Publication) -> String {
        var line = "\(publication.id)  \(publication.metadata.title)  \(publication.state.rawValue)"
        if let report = publication.report { line += ", score \(report.score) (\(report.errors) errors, \(report.warnings) warnings)" }
        if let listing = publication.listingID { line += ", listing \(listing)" }
        line += ", started \(ClientOutput.time(UInt64(max(0, publication.createdAt))))"
        if let error = publication.error, publication.state == .rejected || publication.state == .failed { line += "\n    \(error)" }
        return line
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A publication's steps with their times and errors.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The publication id.") var id: String

        func run() async throws {
            try await CommandFailure.guarding {
                let status = try await client.signedIn().get("/v1/publications/\(id)", as: PublicationResponse.self)
                ClientOutput.show(status, json: client.json) {
                    [PublicationCommand.line(status.publication)] + status.publication.steps.map { step in
                        "  \(step.name): " + (step.finishedAt != nil ? "done at \(ClientOutput.time(step.finishedAt.map { UInt64(max(0, $0)) }))"
                            : step.startedAt != nil ? "started at \(ClientOutput.time(step.startedAt.map { UInt64(max(0, $0)) }))" : "waiting")
                            + (step.attempts > 1 ? ", \(step.attempts) attempts" : "") + (step.error.map { "; last error: \($0)" } ?? "")
                    }
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Save a publication's QA report and its contact sheets (for rejected publications too), and print its top findings.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The publication id.") var id: String
        @Option(help: "The directory to write report.json and the contact sheets into.") var output: String

        func run() async throws {
            try await CommandFailure.guarding {
                let market = try await client.signedIn()
                let publication = try await market.get("/v1/publications/\(id)", as: PublicationResponse.self).publication
                let report = try await market.raw(.GET, "/v1/publications/\(id)/report")
                try SavedFiles.directory(output)
                var written = [try SavedFiles.write(report, to: output, as: "report.json")]
                for sheet in publication.report?.contactSheets ?? [] {
                    let name = sheet.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? sheet
                    written.append(try SavedFiles.write(try await market.raw(.GET, "/v1/publications/\(id)/overlays/\(name)"), to: output, as: sheet))
                }
                let findings = try? ReportFindings(json: report)
                let saved = SavedReport(publication: id, files: written, score: findings?.score, verdict: findings?.verdict)
                ClientOutput.show(saved, json: client.json) {
                    ["publication \(id): score \(findings.map { String($0.score) } ?? "?"), \(findings?.verdict ?? "unknown")"]
                        + (findings?.top(10) ?? []).map { "  " + $0 }
                        + written.map { "  saved \($0)" }
                }
            }
        }
    }
}

/// What `lightbox publication report --json` prints.
struct SavedReport: Encodable {
    let publication: String
    let files: [String]
    let score: Int?
    let verdict: String?
}
