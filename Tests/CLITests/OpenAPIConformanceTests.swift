import Foundation
import Testing

/// The API against its description: `lightbox serve` with a published listing, checked by schemathesis
/// (installed by `ops/install-deps --test`) from the document the server itself serves at `/openapi.yaml`.
@Suite("OpenAPI conformance", .serialized)
struct OpenAPIConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$LIGHTBOX_SCHEMATHESIS`, or the copy `ops/install-deps --test` puts in `.build/tools`.
    static var schemathesis: String {
        if let path = ProcessInfo.processInfo.environment["LIGHTBOX_SCHEMATHESIS"], !path.isEmpty { return path }
        return root.appendingPathComponent(".build/tools/schemathesis/bin/schemathesis").path
    }

    @Test("the server serves schemas/openapi.yaml, and schemathesis finds every response as documented")
    func conformance() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.schemathesis) else {
            Issue.record("schemathesis is missing at \(Self.schemathesis): run ops/install-deps --test (or set LIGHTBOX_SCHEMATHESIS)")
            return
        }
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = ["LIGHTBOX_KEY_PASSPHRASE": "conformance"]
        let accounts = try await LightboxProcess.accounts(["seller", "governance"], in: directory, environment: keys)
        let (server, url) = try await LightboxProcess.serve(
            in: directory,
            environment: [
                "LIGHTBOX_LEDGER_GOVERNANCE": accounts["governance"] ?? "",
                // schemathesis fuzzes from one address, faster than any client may write; the rate limits are
                // tested on their own (RequestLimitsTests), here they would only turn its checks into 429s.
                "LIGHTBOX_RATE_CLIENT_PER_SECOND": "1000000", "LIGHTBOX_RATE_CLIENT_BURST": "1000000",
                "LIGHTBOX_RATE_ACCOUNT_PER_SECOND": "1000000", "LIGHTBOX_RATE_ACCOUNT_BURST": "1000000",
            ])
        defer { server.signal(SIGTERM) }

        let served = await LightboxProcess.get(url + "/openapi.yaml")
        let document = try String(contentsOf: Self.root.appendingPathComponent("schemas/openapi.yaml"), encoding: .utf8)
        #expect(served?.status == 200)
        #expect(served?.body == document, "the served document differs from schemas/openapi.yaml")

        // Something to find: one listing, so the listing and search responses are checked with content.
        var environment = keys
        environment["LIGHTBOX_SERVER"] = url
        let generated = try await LightboxProcess.run(["dataset", "generate", "set", "--images", "8", "--width", "64", "--height", "48"], in: directory)
        #expect(generated.status == 0, "stderr: \(generated.stderr)")
        let published = try await LightboxProcess.run(
            ["publish", "set", "--title", "Conformance", "--task", "detection", "--price", "3", "--key", "seller", "--data-dir", "d"],
            in: directory, environment: environment, timeout: .seconds(120))
        #expect(published.status == 0, "stdout: \(published.stdout) stderr: \(published.stderr)")
        let login = try await LightboxProcess.run(["login", "--key", "seller", "--data-dir", "d"], in: directory, environment: environment)
        let token = login.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(login.status == 0 && !token.isEmpty, "stderr: \(login.stderr)")

        // Every check but two: `positive_data_acceptance` expects any value the schema allows to be accepted, which
        // cannot hold for addresses (EIP-55 checksums), signatures and CIDs that fit their patterns yet are not
        // real; `unsupported_method` wants 405 for a method a path lacks, where the router answers 404. A fixed
        // seed keeps the run reproducible.
        let run = try await Self.run(
            Self.schemathesis,
            [
                "--no-color", "run", url + "/openapi.yaml", "--header", "Authorization: Bearer \(token)", "--checks", "all",
                "--exclude-checks", "positive_data_acceptance,unsupported_method", "--max-examples", "25", "--seed", "20261121",
                "--workers", "1",
            ],
            in: directory)
        #expect(run.status == 0, "schemathesis found the API and its document apart:\n\(run.output.suffix(6000))")
        #expect(run.output.contains(" passed"), "\(run.output.suffix(2000))")
        #expect(server.process.isRunning, "the server died under schemathesis: \(server.stderr.suffix(3000))")
    }

    /// Runs a program to completion, stdout and stderr together.
    static func run(_ program: String, _ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = directory.appendingPathComponent("schemathesis.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
