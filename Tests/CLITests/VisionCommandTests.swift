import Foundation
import Ledger
import LightboxCrypto
import Testing

/// `lightbox pdq` and `lightbox dataset generate|check|checks`, run as real processes.
@Suite("CLI: vision")
struct VisionCommandTests {
    static let pdqFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VisionTests/Fixtures/pdq")

    @Test("lightbox pdq prints HASH,QUALITY,PATH exactly as Meta's reference; a broken file fails alone")
    func pdq() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let expected = try String(contentsOf: Self.pdqFixtures.appendingPathComponent("expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { line -> String in
                let fields = line.split(separator: ",")
                return "\(fields[0]),\(fields[1]),\(Self.pdqFixtures.path)/\(fields[2])"
            }
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("broken.png"))
        let files = expected.map { String($0.split(separator: ",")[2]) }
        let output = try await LightboxProcess.run(["pdq"] + files + ["broken.png"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(output.stderr.contains("broken.png") && output.stderr.contains("not a PNG or JPEG"))
        let dihedral = try await LightboxProcess.run(["pdq", "--dihedral", files[0]], in: directory)
        #expect(dihedral.stdout.split(separator: ",").count == 10)
        #expect(dihedral.stdout.contains("30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"))
    }

    @Test("dataset check exits 0 on a clean set, 1 with defects, 2 when it cannot check; writes report, sheets, attestation")
    func check() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let generate = try await LightboxProcess.run(["dataset", "generate", "clean", "--format", "yolo", "--images", "16"], in: directory)
        #expect(generate.status == 0, "\(generate.stderr)")
        let clean = try await LightboxProcess.run(
            ["dataset", "check", "clean", "--jobs", "1", "--report", "clean.json", "--attest", "attestation.json", "--data-dir", "node"],
            in: directory, timeout: .seconds(120))
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("dataset: yolo, 16 images") && clean.stdout.contains("verdict: pass"))
        let report = [UInt8](try Data(contentsOf: directory.appendingPathComponent("clean.json")))
        #expect(clean.stdout.contains("sha256 \(SHA256.hash(report).hexString)"))
        let attestation = try JSONDecoder().decode(
            QAAttestation.self, from: Data(contentsOf: directory.appendingPathComponent("attestation.json")))
        #expect(attestation.isValid && attestation.passed && attestation.reportHash == SHA256.hash(report))
        #expect(attestation.manifestCID.hasPrefix("bafk") && attestation.reportCID.hasPrefix("baf"))

        // Once minted (registered), the same images are listed: checking them again with --listed fails.
        let register = try await LightboxProcess.run(["dataset", "register", "--listing", "7", "clean.json", "--data-dir", "node"], in: directory)
        #expect(register.status == 0 && register.stdout.contains("16 images registered"), "\(register.stderr)")
        let resold = try await LightboxProcess.run(
            ["dataset", "check", "clean", "--jobs", "1", "--listed", "--data-dir", "node"], in: directory, timeout: .seconds(120))
        #expect(resold.status == 1 && resold.stdout.contains("duplicate.listed"), "\(resold.stdout)\(resold.stderr)")
        try Data("{}".utf8).write(to: directory.appendingPathComponent("not-a-report.json"))
        let notReport = try await LightboxProcess.run(["dataset", "register", "--listing", "8", "not-a-report.json", "--data-dir", "node"], in: directory)
        #expect(notReport.status == 1 && notReport.stderr.contains("not a Lightbox dataset report"))

        let defective = try await LightboxProcess.run(
            ["dataset", "generate", "bad", "--format", "coco", "--images", "20", "--defect", "truncatedImage", "--defect", "dark"],
            in: directory)
        #expect(defective.status == 0 && defective.stdout.contains("truncatedImage\timage.truncated"))
        let failed = try await LightboxProcess.run(["dataset", "check", "bad", "--jobs", "1", "--overlays", "sheets"], in: directory, timeout: .seconds(120))
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("image.truncated") && failed.stdout.contains("verdict: fail"))
        let sheet = [UInt8](try Data(contentsOf: directory.appendingPathComponent("sheets/sheet-001.png")))
        #expect(sheet.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        try Data("{\"min_score\": 50, \"max_errors\": 5}".utf8).write(to: directory.appendingPathComponent("lenient.json"))
        let lenient = try await LightboxProcess.run(["dataset", "check", "bad", "--jobs", "1", "--policy", "lenient.json"], in: directory, timeout: .seconds(120))
        #expect(lenient.status == 0, "\(lenient.stdout)")

        try Data("{\"min_score\": 500}".utf8).write(to: directory.appendingPathComponent("bad-policy.json"))
        let badPolicy = try await LightboxProcess.run(["dataset", "check", "bad", "--policy", "bad-policy.json"], in: directory)
        #expect(badPolicy.status == 2 && badPolicy.stderr.contains("min_score"))
        let missing = try await LightboxProcess.run(["dataset", "check", "no-such-folder"], in: directory)
        #expect(missing.status == 2 && missing.stderr.contains("not a directory"))
        let badFormat = try await LightboxProcess.run(["dataset", "check", "clean", "--format", "voc", "--report", "voc.json"], in: directory)
        #expect(badFormat.status == 2, "\(badFormat.stdout)\(badFormat.stderr)")
        // Nothing is written when the dataset cannot be checked.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("voc.json") }
        #expect(leftovers.isEmpty)
    }

    @Test("dataset checks lists every check with its severity and threshold")
    func checks() async throws {
        let output = try await LightboxProcess.run(["dataset", "checks"], in: try LightboxProcess.workingDirectory())
        #expect(output.status == 0)
        #expect(output.stdout.contains("duplicate.split-leakage") && output.stdout.contains("PDQ distance ≤ 31"))
        #expect(output.stdout.split(separator: "\n").count >= 40)
    }
}
