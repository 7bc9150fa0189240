import Foundation

/// Runs a baseline script from ops/bench/ and reads the JSON object it prints on its last line.
enum BaselineRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `python3 script arguments…` from the repository root (found from the current directory upwards).
    /// - Returns: The numeric figures of the script's last output line, a JSON object.
    static func run(_ script: String, arguments: [String]) throws -> [(key: String, value: Double)] {
        guard let root = repositoryRoot(containing: script) else {
            throw Failure(description: "cannot find \(script); run the benchmark from the Lightbox checkout, or pass --no-baseline")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root + "/" + script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw Failure(
                description: "the baseline \(script) failed (exit \(process.terminationStatus)); install what its header names (for PgQueuer: pip install \"pgqueuer[asyncpg]\") or pass --no-baseline"
            )
        }
        return object.compactMap { key, value in (value as? NSNumber).map { (key, $0.doubleValue) } }
            .sorted { $0.key < $1.key }
    }

    private static func repositoryRoot(containing script: String) -> String? {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(script).path) { return directory.path }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
