import ArgumentParser
import Foundation
import Node

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration, where each value came from, with secrets redacted.",
        discussion: "Every setting: " + Settings.definitions.map { "\($0.key) (\($0.environmentName))" }
            .joined(separator: ", ") + "."
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @OptionGroup var httpOptions: HTTPOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load(extra: httpOptions.flags)
            if json {
                let entries = settings.resolved.map { setting in
                    ConfigEntry(
                        key: setting.definition.key, value: setting.displayValue, source: setting.source.description,
                        environment: setting.definition.environmentName, secret: setting.definition.isSecret
                    )
                }
                print(String(decoding: try JSONText.encoder(pretty: true).encode(["settings": entries]), as: UTF8.self))
            } else {
                let width = settings.resolved.map(\.definition.key.count).max() ?? 0
                let valueWidth = min(48, settings.resolved.map { ($0.displayValue ?? "(unset)").count }.max() ?? 0)
                for setting in settings.resolved {
                    let key = setting.definition.key.padding(toLength: width, withPad: " ", startingAt: 0)
                    let value = (setting.displayValue ?? "(unset)").padding(toLength: valueWidth, withPad: " ", startingAt: 0)
                    print("\(key)  \(value)  \(setting.source)")
                }
            }
        }
    }

    struct ConfigEntry: Encodable {
        let key: String
        let value: String?
        let source: String
        let environment: String
        let secret: Bool
    }
}
