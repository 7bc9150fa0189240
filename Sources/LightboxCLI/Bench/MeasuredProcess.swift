import Foundation

/// Runs a program to completion and measures its wall time, keeping its standard output and error.
///
/// Peak memory is not taken from `wait4`'s `ru_maxrss`: Linux records the spawning process's own high-water mark
/// at exec, so a child would be charged with the benchmark's memory. The programs report their own instead.
struct MeasuredProcess {
    let seconds: Double
    let exitStatus: Int32
    let standardOutput: String
    let standardError: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> MeasuredProcess {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-\(UUID().uuidString).out").path
        let errorPath = outputPath + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned))); install it or pass --no-baseline")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        return MeasuredProcess(
            seconds: elapsed.seconds, exitStatus: (status >> 8) & 0xff,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
