import Foundation
import Node
import Testing

/// The published schema and the example configuration stay in step with the settings the code reads.
@Suite("Config schema and example")
struct ConfigSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func keys(_ properties: [String: Any], prefix: String = "") -> [String] {
        properties.flatMap { name, value -> [String] in
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            if let object = value as? [String: Any], object["type"] as? String == "object",
                let nested = object["properties"] as? [String: Any]
            {
                return keys(nested, prefix: key)
            }
            return [key]
        }
    }

    @Test("schemas/config.schema.json documents exactly the settings Lightbox reads")
    func schemaMatchesDefinitions() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("schemas/config.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(keys(properties)) == Set(Settings.definitions.map(\.key)))
    }

    @Test("ops/lightbox.example.json loads")
    func exampleLoads() throws {
        let path = Self.root.appendingPathComponent("ops/lightbox.example.json").path
        let settings = try SettingsLoader(environment: [:], configFileFlag: path).load()
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.logFormat == .json)
        #expect(settings.workersInProcess == false)
        #expect(settings.databaseMaxConnections == 20)
    }
}
