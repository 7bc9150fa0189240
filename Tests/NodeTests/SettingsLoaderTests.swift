import Foundation
import Logging
import Node
import Persistence
import Testing

@Suite("Settings: flags, environment, config file, defaults")
struct SettingsLoaderTests {
    private func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).json").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func source(_ settings: Settings, _ key: String) -> SettingSource? {
        settings.resolved.first { $0.definition.key == key }?.source
    }

    @Test("defaults give the embedded mode")
    func defaults() throws {
        let settings = try SettingsLoader(environment: [:]).load()
        #expect(settings.dataDirectory == ".lightbox")
        #expect(settings.httpHost == "127.0.0.1")
        #expect(settings.httpPort == 8080)
        #expect(settings.logLevel == .info)
        #expect(settings.logFormat == .plain)
        #expect(settings.workersInProcess)
        guard case .sqlite(path: let path) = settings.databaseLocation else {
            Issue.record("default database must be SQLite")
            return
        }
        #expect(path.hasSuffix("/.lightbox/lightbox.sqlite"))
        #expect(settings.resolved.allSatisfy { $0.source == .defaultValue })
    }

    @Test("flags beat environment, environment beats the file, the file beats defaults")
    func precedence() throws {
        let file = try temporaryFile(#"{"http": {"port": 1111, "host": "0.0.0.0"}, "log.level": "debug", "workers": {"in-process": false}}"#)
        let environment = ["LIGHTBOX_HTTP_PORT": "2222", "LIGHTBOX_HTTP_HOST": "127.0.0.2"]
        let settings = try SettingsLoader(
            flags: ["http.port": ("3333", "--port")], environment: environment, configFileFlag: file
        ).load()
        #expect(settings.httpPort == 3333)
        #expect(source(settings, "http.port") == .flag("--port"))
        #expect(settings.httpHost == "127.0.0.2")
        #expect(source(settings, "http.host") == .environment("LIGHTBOX_HTTP_HOST"))
        #expect(settings.logLevel == .debug)
        #expect(source(settings, "log.level") == .file(file))
        #expect(settings.workersInProcess == false)
        #expect(settings.logFormat == .plain)
        #expect(source(settings, "log.format") == .defaultValue)

        let withoutFlag = try SettingsLoader(environment: environment, configFileFlag: file).load()
        #expect(withoutFlag.httpPort == 2222)
        let fileOnly = try SettingsLoader(environment: [SettingsLoader.configFileVariable: file]).load()
        #expect(fileOnly.httpPort == 1111)
        #expect(fileOnly.httpHost == "0.0.0.0")
    }

    @Test("config.json in the data directory is read when no file is named")
    func implicitFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(#"{"http": {"port": 4444}}"#.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        let settings = try SettingsLoader(flags: ["data-dir": (directory, "--data-dir")], environment: [:]).load()
        #expect(settings.httpPort == 4444)
        #expect(source(settings, "http.port") == .file(directory + "/config.json"))
    }

    @Test("environment variable names follow the keys")
    func environmentNames() {
        let names = Settings.definitions.map(\.environmentName)
        #expect(names.contains("LIGHTBOX_DATA_DIR"))
        #expect(names.contains("LIGHTBOX_DATABASE_URL"))
        #expect(names.contains("LIGHTBOX_HTTP_SHUTDOWN_TIMEOUT"))
        #expect(names.contains("LIGHTBOX_WORKERS_IN_PROCESS"))
    }

    @Test("database passwords never print")
    func redaction() throws {
        let settings = try SettingsLoader(
            environment: ["LIGHTBOX_DATABASE_URL": "postgres://lb:hunter2@db:5432/lightbox"]
        ).load()
        let entry = try #require(settings.resolved.first { $0.definition.key == "database.url" })
        #expect(entry.displayValue == "postgres://lb:***@db:5432/lightbox")
        #expect(entry.value?.contains("hunter2") == true)
    }

    @Test("bad input is refused with a message naming the file, key or variable", arguments: [
        (#"{"http": {"port": 80"#, "is not valid JSON"),
        (#"[1, 2]"#, "must hold a JSON object"),
        (#"{"htp": {"port": 80}}"#, "unknown setting \"htp.port\""),
        (#"{"http": {"port": [80]}}"#, "must be a string, number or boolean"),
        (#"{"http": {"port": 70000}}"#, "invalid http.port"),
        (#"{"log": {"format": "xml"}}"#, "expected one of plain, json"),
        (#"{"database": {"url": "mysql://x"}}"#, "unsupported database URL"),
    ])
    func badFiles(contents: String, expected: String) throws {
        let file = try temporaryFile(contents)
        let error = #expect(throws: SettingsError.self) {
            try SettingsLoader(environment: [:], configFileFlag: file).load()
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        if !expected.hasPrefix("invalid") && !expected.hasPrefix("expected") && !expected.hasPrefix("unsupported") {
            #expect(error?.message.contains(file) == true)
        }
        #expect(error?.message.contains("\n") == false)
    }

    @Test("an invalid environment value names the variable")
    func badEnvironment() {
        let error = #expect(throws: SettingsError.self) {
            try SettingsLoader(environment: ["LIGHTBOX_HTTP_PORT": "eighty"]).load()
        }
        #expect(error?.message == "invalid http.port \"eighty\" from environment LIGHTBOX_HTTP_PORT: expected a port number from 0 to 65535")
    }

    @Test("a named config file that does not exist is an error")
    func missingFile() {
        let error = #expect(throws: SettingsError.self) {
            try SettingsLoader(environment: [:], configFileFlag: "/nonexistent/lightbox.json").load()
        }
        #expect(error?.message.contains("cannot read config file /nonexistent/lightbox.json: no such file") == true)
    }
}
