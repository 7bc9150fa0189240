import Foundation
import Testing

/// Every operator mistake exits non-zero with one line that says what to fix, and creates nothing.
@Suite("CLI: bad input")
struct BadInputTests {
    private func expectOneLineFailure(_ output: LightboxProcess.Output, containing text: String) {
        #expect(output.status == 1)
        #expect(output.stderrLines.count == 1, "stderr: \(output.stderr)")
        #expect(output.stderr.hasPrefix("lightbox: "))
        #expect(output.stderr.contains(text), "stderr: \(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
    }

    private func dataDirectoryAbsent(_ directory: URL) -> Bool {
        !FileManager.default.fileExists(atPath: directory.appendingPathComponent(".lightbox").path)
    }

    @Test("an invalid config file")
    func invalidConfigFile() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data(#"{"http": {"port": 80,}"#.utf8).write(to: directory.appendingPathComponent("bad.json"))
        let output = try await LightboxProcess.run(["serve", "--config", "bad.json"], in: directory)
        expectOneLineFailure(output, containing: "config file bad.json is not valid JSON")
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("an unreadable config file")
    func unreadableConfigFile() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let output = try await LightboxProcess.run(["serve"], in: directory, environment: ["LIGHTBOX_CONFIG": "missing.json"])
        expectOneLineFailure(output, containing: "cannot read config file missing.json: no such file")
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("an unknown setting in the config file")
    func unknownSetting() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data(#"{"http": {"prot": 80}}"#.utf8).write(to: directory.appendingPathComponent("c.json"))
        let output = try await LightboxProcess.run(["worker", "--config", "c.json"], in: directory)
        expectOneLineFailure(output, containing: "unknown setting \"http.prot\"")
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("an invalid value in the environment")
    func invalidEnvironment() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let output = try await LightboxProcess.run(["serve"], in: directory, environment: ["LIGHTBOX_LOG_FORMAT": "xml"])
        expectOneLineFailure(output, containing: "LIGHTBOX_LOG_FORMAT")
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("an unreachable PostgreSQL")
    func unreachablePostgres() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let port = try LightboxProcess.freePort()
        let output = try await LightboxProcess.run(
            ["serve", "--port", "0", "--database", "postgres://lightbox:secret-pw@127.0.0.1:\(port)/lightbox?sslmode=disable"],
            in: directory
        )
        expectOneLineFailure(output, containing: "cannot reach PostgreSQL at 127.0.0.1:\(port)")
        #expect(!output.stderr.contains("secret-pw"))
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("wrong PostgreSQL credentials")
    func wrongCredentials() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let url = try PostgresTestServer.url(password: "not-the-password")
        let output = try await LightboxProcess.run(["worker", "--database", url], in: directory)
        expectOneLineFailure(output, containing: "refused user \"lightbox\"")
        #expect(!output.stderr.contains("not-the-password"))
        #expect(dataDirectoryAbsent(directory))
    }

    @Test("a data directory that cannot be written")
    func unwritableDataDirectory() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data("x".utf8).write(to: directory.appendingPathComponent("occupied"))
        let output = try await LightboxProcess.run(["node", "info", "--data-dir", "occupied/data"], in: directory)
        expectOneLineFailure(output, containing: "cannot create data directory occupied/data")
        let readOnly = try await LightboxProcess.run(["serve", "--port", "0", "--data-dir", "/proc/lightbox"], in: directory)
        expectOneLineFailure(readOnly, containing: "/proc/lightbox")
    }

    @Test("a port already in use")
    func portInUse() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let listener = try Listener()
        let output = try await LightboxProcess.run(["serve", "--port", "\(listener.port)"], in: directory)
        expectOneLineFailure(output, containing: "cannot listen on 127.0.0.1:\(listener.port): the address is already in use")
        #expect(dataDirectoryAbsent(directory))
        listener.close()
    }

    @Test("a bad flag value")
    func badFlag() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let output = try await LightboxProcess.run(["serve", "--port", "http"], in: directory)
        expectOneLineFailure(output, containing: "invalid http.port \"http\" from flag --port")
        #expect(dataDirectoryAbsent(directory))
    }
}
