import Foundation
import LightboxTestSupport
import Logging
import Persistence
import Testing

/// The job queue under the faults it is built for: workers killed mid-job, the database restarting, several
/// workers competing. Real `lightbox` processes, real databases.
@Suite("Job queue reliability", .serialized)
struct QueueReliabilityTests {
    let logger = Logger(label: "lightbox.tests")

    /// Settings that make a killed worker's jobs come back quickly.
    static let fastRescue = ["LIGHTBOX_JOBS_LEASE_TIMEOUT": "2", "LIGHTBOX_JOBS_CONCURRENCY": "20"]

    private func totals(_ directory: URL, _ environment: [String: String]) async throws -> [String: Int] {
        let output = try await LightboxProcess.run(["jobs", "stats", "--json"], in: directory, environment: environment)
        guard output.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
            let total = object["total"] as? [String: Int]
        else {
            Issue.record("jobs stats failed: \(output.stderr)")
            throw CancellationError()
        }
        return total
    }

    private func waitFor(
        _ what: String, timeout: Duration = .seconds(120), _ directory: URL, _ environment: [String: String],
        _ condition: ([String: Int]) -> Bool
    ) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let totals = try await totals(directory, environment)
            if condition(totals) { return totals }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what): \(try await totals(directory, environment))")
        throw CancellationError()
    }

    private func database(_ environment: [String: String]) async throws -> any Database {
        try await DatabaseOpener.open(try DatabaseLocation(url: environment["LIGHTBOX_DATABASE_URL"]!), logger: logger)
    }

    /// Every process of a test shares one database: a fresh PostgreSQL database, or one SQLite file by URL.
    private func environment(_ backend: Backend, _ directory: URL) async throws -> [String: String] {
        var environment = Self.fastRescue
        environment["LIGHTBOX_DATABASE_URL"] =
            switch backend {
            case .postgres: try await TestDatabases.freshPostgresURL()
            case .sqlite: "sqlite:" + directory.appendingPathComponent("shared.sqlite").path
            }
        return environment
    }

    @Test("kill -9 a worker in the middle of 1,000 jobs: after a restart every job completes once, none dies", arguments: Backend.allCases)
    func killedWorker(backend: Backend) async throws {
        let directory = try LightboxProcess.workingDirectory()
        let environment = try await environment(backend, directory)
        let enqueued = try await LightboxProcess.run(
            // 200 ms a job, 20 at once: about 100 jobs/s, slow enough that the kill (after a poll by a process of
            // its own) lands mid-way on a busy machine too.
            ["jobs", "enqueue", "noop", "--count", "1000", "--sleep-ms", "200", "--record"], in: directory, environment: environment
        )
        #expect(enqueued.status == 0, "\(enqueued.stderr)")

        let first = try LightboxProcess.start(["worker"], in: directory, environment: environment)
        let before = try await waitFor("200 jobs completed", directory, environment) { ($0["completed"] ?? 0) >= 200 }
        first.signal(SIGKILL)
        _ = try await first.wait(timeout: .seconds(10))
        let atKill = try await totals(directory, environment)
        #expect((atKill["completed"] ?? 0) < 1000, "the worker was killed mid-way (\(before))")

        let second = try LightboxProcess.start(["worker"], in: directory, environment: environment)
        let after = try await waitFor("every job completed", directory, environment) { ($0["completed"] ?? 0) == 1000 }
        second.signal(SIGTERM)
        #expect(try await second.wait(timeout: .seconds(20)).status == 0)
        #expect(after["dead"] == 0 && after["available"] == 0 && after["running"] == 0)

        let database = try await database(environment)
        let jobs = try await database.query("SELECT COUNT(DISTINCT job_id) AS n FROM job_noop_runs", logger: logger)[0]
        #expect(try jobs.decode("n", as: Int.self) == 1000, "every job ran")
        // Only the jobs in flight when the worker died (at most its concurrency) may have run a second time.
        let rerun = try await database.query("SELECT COUNT(*) AS n FROM job_noop_runs WHERE attempt > 1", logger: logger)[0]
        #expect(try rerun.decode("n", as: Int.self) <= 20)
        let completedTwice = try await database.query(
            "SELECT COUNT(*) AS n FROM (SELECT id FROM jobs GROUP BY id HAVING COUNT(*) > 1) AS d", logger: logger
        )[0]
        #expect(try completedTwice.decode("n", as: Int.self) == 0)
        await database.close()
    }

    @Test("two workers on one database never run the same job, and share the work", arguments: Backend.allCases)
    func competingWorkers(backend: Backend) async throws {
        let directory = try LightboxProcess.workingDirectory()
        let environment = try await environment(backend, directory)
        // Two processes of one node share its keys: the enqueue makes them in `a`, and they share that directory
        // (processes with directories of their own get a copy of keys/; see SeparateDisksTests).
        // The first start of a node makes its development ledger and governance key: the second worker starts once
        // the first has (jobs of 20 ms leave it two seconds of work to share).
        _ = try await LightboxProcess.run(
            ["jobs", "enqueue", "noop", "--count", "1000", "--sleep-ms", "20", "--record", "--data-dir", "a"], in: directory,
            environment: environment
        )
        let a = try LightboxProcess.start(["worker", "--data-dir", "a"], in: directory, environment: environment)
        _ = try await waitFor("the first worker started", directory, environment) { ($0["completed"] ?? 0) > 0 }
        let b = try LightboxProcess.start(["worker", "--data-dir", "a"], in: directory, environment: environment)
        let totals = try await waitFor("every job completed", directory, environment) { ($0["completed"] ?? 0) == 1000 }
        a.signal(SIGTERM)
        b.signal(SIGTERM)
        #expect(try await a.wait(timeout: .seconds(20)).status == 0)
        #expect(try await b.wait(timeout: .seconds(20)).status == 0)
        #expect(totals["dead"] == 0)
        let database = try await database(environment)
        let runs = try await database.query("SELECT job_id, attempt, worker_id FROM job_noop_runs", logger: logger)
        await database.close()
        #expect(runs.count == 1000, "each job ran exactly once")
        #expect(Set(try runs.map { try $0.decode("job_id", as: Int64.self) }).count == 1000)
        #expect(try runs.allSatisfy { try $0.decode("attempt", as: Int.self) == 1 })
        let workers = Set(try runs.map { try $0.decode("worker_id", as: String.self) })
        #expect(workers.count == 2, "both workers took jobs")
    }

    @Test("PostgreSQL restarts while a worker runs: it reconnects and finishes every job")
    func postgresRestart() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("ops/postgres-throwaway").path
        let serverDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-pg-restart-\(UUID().uuidString.prefix(8))").path
        let url = try await Self.shell([script, "start", serverDirectory]).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await restartWhileWorking(url: url, script: script, serverDirectory: serverDirectory)
        } catch {
            _ = try? await Self.shell([script, "stop", serverDirectory])
            try? FileManager.default.removeItem(atPath: serverDirectory)
            throw error
        }
        _ = try await Self.shell([script, "stop", serverDirectory])
        try? FileManager.default.removeItem(atPath: serverDirectory)
    }

    private func restartWhileWorking(url: String, script: String, serverDirectory: String) async throws {
        let directory = try LightboxProcess.workingDirectory()
        var environment = Self.fastRescue
        environment["LIGHTBOX_DATABASE_URL"] = url
        environment["LIGHTBOX_JOBS_CONCURRENCY"] = "10"
        _ = try await LightboxProcess.run(
            ["jobs", "enqueue", "noop", "--count", "1000", "--sleep-ms", "10", "--record"], in: directory, environment: environment
        )
        let worker = try LightboxProcess.start(["worker"], in: directory, environment: environment)
        _ = try await waitFor("100 jobs completed", directory, environment) { ($0["completed"] ?? 0) >= 100 }
        _ = try await Self.shell([script, "restart", serverDirectory])
        let totals = try await waitFor("every job completed", directory, environment) { ($0["completed"] ?? 0) == 1000 }
        #expect(worker.process.isRunning, "the worker survived the restart")
        worker.signal(SIGTERM)
        #expect(try await worker.wait(timeout: .seconds(20)).status == 0)
        #expect(totals["dead"] == 0)
        let database = try await database(environment)
        let ran = try await database.query("SELECT COUNT(DISTINCT job_id) AS n FROM job_noop_runs", logger: logger)[0]
        await database.close()
        #expect(try ran.decode("n", as: Int.self) == 1000)
    }

    /// Runs a command to completion and returns its standard output; a non-zero exit fails the test.
    ///
    /// Spawned with posix_spawn and reaped with waitpid rather than Foundation's Process: the script starts a
    /// PostgreSQL server that outlives it, and Process then never noticed the script's own exit (it stayed a
    /// zombie). Output goes to a file, not a pipe, which the server would otherwise inherit and hold open.
    static func shell(_ arguments: [String]) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-shell-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            Issue.record("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
            throw CancellationError()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        // WIFEXITED and WEXITSTATUS are macros: exited normally when the low 7 bits are 0; the code is the next byte.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            Issue.record("\(arguments.joined(separator: " ")) failed with status \(status)")
            throw CancellationError()
        }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
