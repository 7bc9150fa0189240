import Foundation

/// Runs a baseline script from ops/bench/ and reads the JSON object it prints on its last line.
enum BaselineRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `python3 script arguments…`, the script found in the checkout the command is started from or the one its
    /// executable was built in (see ``locate(_:)``), so a benchmark runs from any directory. The interpreter is
    /// `LIGHTBOX_BENCH_PYTHON`, else the checkout's `.build/tools/bench-venv` (ops/bench/requirements.txt), else
    /// `python3` on the path.
    /// - Returns: The numeric figures of the script's last output line, a JSON object.
    static func run(_ script: String, arguments: [String]) throws -> [(key: String, value: Double)] {
        guard let path = locate(script) else {
            throw Failure(
                description: "cannot find \(script) above the current directory or above \(executablePath ?? "the executable"); "
                    + "set LIGHTBOX_CHECKOUT to the Lightbox checkout, or pass --no-baseline")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter(forScript: path), path] + arguments
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
                description: "the baseline \(script) failed (exit \(process.terminationStatus)); install what its header names (pip install -r ops/bench/requirements.txt; for PgQueuer: pip install \"pgqueuer[asyncpg]\") or pass --no-baseline"
            )
        }
        return object.compactMap { key, value in (value as? NSNumber).map { (key, $0.doubleValue) } }
            .sorted { $0.key < $1.key }
    }

    /// The script under `LIGHTBOX_CHECKOUT`, else in the first directory above the current one that has it, else
    /// above the running executable (a build inside the checkout: `.build/release/lightbox`).
    static func locate(
        _ script: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String? {
        if let checkout = environment["LIGHTBOX_CHECKOUT"] {
            let path = URL(fileURLWithPath: checkout).appendingPathComponent(script).path
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        let starts = [currentDirectory] + (executablePath.map { [URL(fileURLWithPath: $0).deletingLastPathComponent().path] } ?? [])
        for start in starts {
            if let path = search(script, upwardsFrom: URL(fileURLWithPath: start)) { return path }
        }
        return nil
    }

    /// The Python that runs the baselines (see ``run(_:arguments:)``).
    static func interpreter(
        forScript path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let chosen = environment["LIGHTBOX_BENCH_PYTHON"], !chosen.isEmpty { return chosen }
        // The script lives in <checkout>/ops/bench/.
        let checkout = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let venv = checkout.appendingPathComponent(".build/tools/bench-venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// The running executable with symbolic links resolved.
    static var executablePath: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    private static func search(_ script: String, upwardsFrom start: URL) -> String? {
        var directory = start.standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent(script).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
