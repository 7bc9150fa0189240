public import Foundation

/// Resolves ``Settings`` from command-line flags, environment variables and a JSON config file.
///
/// Precedence: flags, then `LIGHTBOX_…` environment variables, then the config file, then defaults.
/// The config file is the one named by `--config` or `LIGHTBOX_CONFIG`; otherwise `config.json` in the data
/// directory is read when it exists. Unknown keys and invalid values are errors, never silently ignored.
public struct SettingsLoader: Sendable {
    /// The variable that names the config file.
    public static let configFileVariable = "LIGHTBOX_CONFIG"

    /// Values given as flags, by canonical key, with the flag's spelling for messages.
    public var flags: [String: (value: String, flag: String)]
    /// The process environment.
    public var environment: [String: String]
    /// A config file named on the command line.
    public var configFileFlag: String?

    public init(
        flags: [String: (value: String, flag: String)] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFileFlag: String? = nil
    ) {
        self.flags = flags
        self.environment = environment
        self.configFileFlag = configFileFlag
    }

    /// Resolves and validates every setting.
    /// - Throws: ``SettingsError`` for an unreadable or invalid file, an unknown key, or an invalid value.
    public func load() throws(SettingsError) -> Settings {
        let definitions = Settings.definitions
        let explicitFile = configFileFlag ?? environment[Self.configFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        var file: (path: String, values: [String: String])?
        if let explicitFile {
            file = (explicitFile, try Self.readFile(explicitFile, required: true))
        }

        var resolved: [ResolvedSetting] = []
        func resolve(_ definition: SettingDefinition, file: (path: String, values: [String: String])?) throws(SettingsError)
            -> ResolvedSetting
        {
            let candidates: [(String?, SettingSource)] = [
                (flags[definition.key]?.value, .flag(flags[definition.key]?.flag ?? "")),
                (environment[definition.environmentName], .environment(definition.environmentName)),
                (file?.values[definition.key], .file(file?.path ?? "")),
            ]
            for case (let raw?, let source) in candidates {
                switch definition.canonical(raw) {
                case .valid(let value):
                    return ResolvedSetting(definition: definition, value: value, source: source)
                case .invalid(let reason):
                    throw SettingsError(
                        "invalid \(definition.key) \"\(definition.display(raw))\" from \(source): \(reason)"
                    )
                }
            }
            return ResolvedSetting(definition: definition, value: definition.defaultValue, source: .defaultValue)
        }

        // The data directory decides where the implicit config file is, so it is resolved first.
        let dataDirectory = try resolve(definitions[0], file: file)
        if file == nil, let directory = dataDirectory.value {
            let implicit = directory + "/config.json"
            if FileManager.default.fileExists(atPath: implicit) {
                let values = try Self.readFile(implicit, required: true)
                if let other = values["data-dir"], other != directory {
                    throw SettingsError(
                        "config file \(implicit) sets data-dir to \"\(other)\" but lives in \(directory); remove data-dir from it or name the file with --config"
                    )
                }
                file = (implicit, values)
            }
        }
        for definition in definitions {
            resolved.append(try resolve(definition, file: file))
        }
        return Settings(resolved: resolved)
    }

    /// Reads a JSON config file into canonical keys and string values.
    static func readFile(_ path: String, required: Bool) throws(SettingsError) -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw SettingsError(
                "cannot read config file \(path): \(FileManager.default.fileExists(atPath: path) ? reason : "no such file"); fix the path given by --config or \(configFileVariable)"
            )
        }
        let root: ConfigValue
        do {
            root = try JSONDecoder().decode(ConfigValue.self, from: data)
        } catch {
            throw SettingsError("config file \(path) is not valid JSON (\(Self.describe(error))); fix the file or point --config elsewhere")
        }
        guard case .object(let members) = root else {
            throw SettingsError("config file \(path) must hold a JSON object such as {\"http\": {\"port\": 8080}}")
        }
        var values: [String: String] = [:]
        try flatten(members, prefix: "", into: &values, path: path)
        let known = Set(Settings.definitions.map(\.key))
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw SettingsError(
                "config file \(path) has unknown setting \"\(unknown)\"; known settings: \(Settings.definitions.map(\.key).joined(separator: ", "))"
            )
        }
        return values
    }

    private static func flatten(
        _ members: [String: ConfigValue], prefix: String, into values: inout [String: String], path: String
    ) throws(SettingsError) {
        for (name, value) in members {
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            switch value {
            case .object(let nested): try flatten(nested, prefix: key, into: &values, path: path)
            case .scalar(let text): values[key] = text
            case .other:
                throw SettingsError("config file \(path): setting \"\(key)\" must be a string, number or boolean")
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return underlying ?? context.debugDescription
    }
}

/// A JSON config value: an object, a scalar kept as text, or anything else (arrays, null), which is refused.
enum ConfigValue: Decodable {
    case object([String: ConfigValue])
    case scalar(String)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .scalar(bool ? "true" : "false")
        } else if let integer = try? container.decode(Int.self) {
            self = .scalar(String(integer))
        } else if let number = try? container.decode(Double.self) {
            self = .scalar(String(number))
        } else if let text = try? container.decode(String.self) {
            self = .scalar(text)
        } else if let object = try? container.decode([String: ConfigValue].self) {
            self = .object(object)
        } else {
            self = .other
        }
    }
}
