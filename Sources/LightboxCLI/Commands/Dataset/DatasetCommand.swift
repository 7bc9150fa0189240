import ArgumentParser
import Foundation
import Vision

struct DatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Check an annotated image dataset, list the checks, or generate a synthetic one.",
        subcommands: [
            DatasetCheckCommand.self, DatasetChecksCommand.self, DatasetGenerateCommand.self, DatasetRegisterCommand.self,
        ]
    )
}

struct DatasetChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks",
        abstract: "List every check: its id, default severity, what it finds and its default threshold."
    )

    func run() async throws {
        let width = CheckCatalogue.all.map(\.id.rawValue.count).max() ?? 0
        for entry in CheckCatalogue.all {
            let id = entry.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            let severity = entry.id.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            print("\(id)  \(severity)  \(entry.summary) [\(entry.threshold)]")
        }
    }
}
