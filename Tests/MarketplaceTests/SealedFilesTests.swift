import LightboxCrypto
import Storage
import Testing
import Vision

@testable import Marketplace

/// The attestation speaks only for the sealed bytes: which files the manifest may take from their record, and
/// what counts as a difference.
@Suite("Sealed files")
struct SealedFilesTests {
    static let image = Array("pretend pixels".utf8)
    static let labels = Array(#"{"images":[]}"#.utf8)
    static let sealed = SealedFiles([
        Upload.File(path: "images/a.png", size: Int64(image.count), sha256: SHA256.hash(image).hexString, cid: "bafkrei-a"),
        Upload.File(path: "labels.json", size: Int64(labels.count), sha256: SHA256.hash(labels).hexString, cid: "bafkrei-l"),
    ])

    /// What the check keeps of an image read with `bytes` (these do not decode, but are hashed all the same).
    static func summary(_ path: String, _ bytes: [UInt8]) -> ImageSummary {
        ImageAnalyzer().analyze(path: path, bytes: bytes)
    }

    @Test("an image checked with the sealed bytes is vouched for by its recorded CID; other bytes, or no CID, are not")
    func vouched() {
        let entry = DatasetManifest.File(path: "images/a.png", size: UInt64(Self.image.count), cid: "bafkrei-a")
        #expect(Self.sealed.vouched(by: [Self.summary("images/a.png", Self.image), nil]) == ["images/a.png": entry])
        #expect(Self.sealed.vouched(by: [Self.summary("images/a.png", Self.image + [0])]).isEmpty)
        let unrecorded = SealedFiles([Upload.File(path: "images/a.png", size: Int64(Self.image.count), sha256: SHA256.hash(Self.image).hexString)])
        #expect(unrecorded.vouched(by: [Self.summary("images/a.png", Self.image)]).isEmpty)
    }

    @Test("a manifest matches when every file was read with the sealed bytes or vouched for; anything else is named")
    func differences() {
        let checked = [Self.summary("images/a.png", Self.image)]
        let manifest = DatasetManifest(dataset: "pub_1", files: [
            .init(path: "images/a.png", size: UInt64(Self.image.count), cid: "bafkrei-a"),
            .init(path: "labels.json", size: UInt64(Self.labels.count), cid: "bafkrei-l"),
        ])
        let read = ["labels.json": SHA256.hash(Self.labels)]
        #expect(Self.sealed.difference(checked: checked, manifest: manifest, sha256: read) == nil)
        // The annotations were read with other bytes.
        let otherLabels = ["labels.json": SHA256.hash(Self.labels + [0x20])]
        #expect(Self.sealed.difference(checked: checked, manifest: manifest, sha256: otherLabels) == "labels.json is not the file that was received")
        // The image was neither read for the manifest nor checked with the sealed bytes.
        let elsewhere = [Self.summary("images/a.png", Array(Self.image.reversed()))]
        #expect(Self.sealed.difference(checked: elsewhere, manifest: manifest, sha256: read) == "images/a.png is not the file that was received")
        // A file the folder holds that never arrived.
        let extra = DatasetManifest(dataset: "pub_1", files: manifest.files + [.init(path: "images/b.png", size: 1, cid: "bafkrei-b")])
        #expect(Self.sealed.difference(checked: checked, manifest: extra, sha256: read) == "images/b.png is in the dataset's folder but was never received")
    }
}
