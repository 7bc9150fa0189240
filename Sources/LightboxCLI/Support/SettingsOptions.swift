import ArgumentParser
import Node

/// The settings flags every node command accepts. Each maps to a canonical setting key.
struct SettingsOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("JSON config file.", valueName: "file"))
    var configFile: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory (default ./.lightbox).", valueName: "dir"))
    var dataDirectory: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp("PostgreSQL URL; default is SQLite in the data directory.", valueName: "url")
    )
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "plain or json.")
    var logFormat: String?

    /// Resolves the settings with these flags on top of the environment and config file.
    func load(extra: [String: (value: String, flag: String)] = [:]) throws -> Settings {
        var flags = extra
        let given: [(String, String?, String)] = [
            ("data-dir", dataDirectory, "--data-dir"), ("database.url", databaseURL, "--database"),
            ("log.level", logLevel, "--log-level"), ("log.format", logFormat, "--log-format"),
        ]
        for case (let key, let value?, let flag) in given { flags[key] = (value, flag) }
        return try SettingsLoader(flags: flags, configFileFlag: configFile).load()
    }
}

/// The HTTP flags of `serve` and `config`.
struct HTTPOptions: ParsableArguments {
    @Option(name: .customLong("host"), help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(name: .customLong("port"), help: "Port to listen on (default 8080; 0 picks a free one).")
    var port: String?

    var flags: [String: (value: String, flag: String)] {
        var flags: [String: (value: String, flag: String)] = [:]
        if let host { flags["http.host"] = (host, "--host") }
        if let port { flags["http.port"] = (port, "--port") }
        return flags
    }
}
