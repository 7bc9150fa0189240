import ArgumentParser
import Foundation
import Logging
import Node
import Persistence

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Database schema: show migration status.",
        subcommands: [StatusCommand.self]
    )

    struct StatusCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "List every migration this build knows and whether the database has it.",
            discussion: "Reads only: it creates nothing and applies nothing. Exits 1 when migrations are pending."
        )

        @OptionGroup var settingsOptions: SettingsOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let settings = try settingsOptions.load()
                let (logger, _) = NodeLauncher.bootstrap(settings)
                if case .sqlite(let path) = settings.databaseLocation, !FileManager.default.fileExists(atPath: path) {
                    throw DatabaseError(.notWritable, "no database at \(path) yet; start the node once (lightbox serve)")
                }
                let database = try await DatabaseOpener.open(settings.databaseLocation, logger: logger)
                let status = try await Migrator(migrations: AllMigrations.list).status(database, logger: logger)
                await database.close()
                for entry in status {
                    print("\(entry.id.padding(toLength: 12, withPad: " ", startingAt: 0)) \(entry.appliedAt.map { "applied \($0.formatted(.iso8601))" } ?? "pending")  \(entry.name)")
                }
                if status.contains(where: { $0.appliedAt == nil }) { throw ExitCode(1) }
            }
        }
    }
}

