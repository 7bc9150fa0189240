import Foundation
import Testing

/// A publish survives its node dying: `lightbox serve` (which runs the jobs) is killed with SIGKILL in the middle
/// of the dataset's quality check, started again, and the publish resumes to one active listing, with no step
/// run twice to completion and nothing minted twice.
@Suite("Publish recovery", .serialized)
struct PublishRecoveryTests {
    @Test("kill -9 the node mid-check: after a restart the publish resumes to one listing, without duplicates")
    func killedMidCheck() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ["LIGHTBOX_KEY_PASSPHRASE": "recovery", "LIGHTBOX_JOBS_LEASE_TIMEOUT": "2", "LIGHTBOX_JOBS_POLL_INTERVAL_MS": "100"]
        let accounts = try await LightboxProcess.accounts(["seller", "governance"], in: directory, environment: environment)
        environment["LIGHTBOX_LEDGER_GOVERNANCE"] = accounts["governance"]
        func serve() async throws -> (LightboxProcess.Running, String) {
            try await LightboxProcess.serve(in: directory, environment: environment)
        }
        func lightbox(_ arguments: [String], server url: String) async throws -> LightboxProcess.Output {
            var client = environment
            client["LIGHTBOX_SERVER"] = url
            return try await LightboxProcess.run(arguments + ["--data-dir", "d"], in: directory, environment: client, timeout: .seconds(300))
        }
        func jobs(_ kind: String) async throws -> [[String: Any]] {
            let listed = try await lightbox(["jobs", "list", "--kind", kind, "--json"], server: "")
            return (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
        }

        // Big enough that the check takes a few seconds in a debug build; generating it takes longer still when
        // the other suites share the cores, hence the generous time-out.
        let generated = try await LightboxProcess.run(
            ["dataset", "generate", "set", "--images", "120", "--width", "320", "--height", "240"], in: directory, timeout: .seconds(300))
        #expect(generated.status == 0, "stderr: \(generated.stderr)")
        let publishArguments = ["publish", "set", "--title", "Survivor", "--task", "detection", "--price", "4", "--key", "seller"]

        var (server, url) = try await serve()
        let started = try await lightbox(publishArguments + ["--no-wait", "--json"], server: url)
        #expect(started.status == 0, "stdout: \(started.stdout) stderr: \(started.stderr.suffix(2000))")
        let publication = (try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any])?["publication"] as? [String: Any]
        let upload = try #require(publication?["upload_id"] as? String, "\(started.stdout)")

        var running = false
        for _ in 0..<600 where !running {
            running = try await jobs("vision.check").first?["state"] as? String == "running"
            if !running { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(running, "the check never started")
        server.signal(SIGKILL)
        _ = try await server.wait(timeout: .seconds(10))
        let atKill = try await jobs("vision.check")
        #expect(atKill.first?["state"] as? String == "running", "killed mid-check: \(atKill)")
        #expect(try await jobs("storage.prepare").isEmpty, "the check had not finished when the node died")

        (server, url) = try await serve()
        defer { server.signal(SIGTERM) }
        let resumed = try await lightbox(publishArguments + ["--upload", upload], server: url)
        #expect(resumed.status == 0 && resumed.stdout.contains("listing 1 is active"), "stdout: \(resumed.stdout) stderr: \(resumed.stderr)")

        // The killed check ran again (a second attempt); every step's job exists once and completed once.
        let check = try await jobs("vision.check")
        #expect(check.count == 1 && check.first?["state"] as? String == "completed" && check.first?["attempt"] as? Int == 2, "\(check)")
        for kind in ["storage.prepare", "ledger.mint"] {
            let done = try await jobs(kind)
            #expect(done.count == 1 && done.first?["state"] as? String == "completed", "\(kind): \(done)")
        }
        // One listing, minted once, and one publication of the upload.
        let found = try await lightbox(["listings", "--json"], server: url)
        let items = (try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
        #expect(items?.count == 1, "\(found.stdout)")
        let shown = try await lightbox(["listing", "show", "1", "--json"], server: url)
        let events = ((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["provenance"] as? [String: Any])?["events"] as? [[String: Any]]
        #expect(events?.filter { $0["name"] as? String == "ListingMinted" }.count == 1, "\(shown.stdout)")
        let ledger = try await lightbox(["ledger", "verify"], server: url)
        #expect(ledger.status == 0 && ledger.stdout.hasPrefix("ok:"), "\(ledger.stdout) \(ledger.stderr)")
    }
}
