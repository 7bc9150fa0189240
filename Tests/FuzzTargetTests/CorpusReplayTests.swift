import Foundation
import FuzzTargets
import Testing

/// Every fuzz target replays its checked-in corpus (the seeds, and what fuzzing kept for new coverage) and every
/// input a fuzzer ever crashed it with. A crash fails the suite; so does a target that accepts nothing or refuses
/// nothing, which would mean it no longer reaches its parser.
/// Serialized: a target reuses one scratch folder per process for the files its parser reads.
@Suite("Fuzz targets over their corpora", .serialized)
struct CorpusReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz").path

    static func inputs(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder + "/" + name).map { (name, Array($0)) }
        }
    }

    @Test("the corpus holds both inputs the parser accepts and inputs it refuses, and none crashes it",
          arguments: FuzzTarget.all.map(\.name))
    func corpus(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let inputs = Self.inputs(Self.fuzzFolder + "/corpus/" + name)
        try #require(inputs.count >= 3, "fuzz/corpus/\(name) should hold seeds")
        var outcomes: [FuzzTarget.Outcome: [String]] = [:]
        for input in inputs { outcomes[target.run(input.bytes), default: []].append(input.name) }
        #expect(!(outcomes[.accepted] ?? []).isEmpty, "no seed of \(name) is accepted")
        #expect(!(outcomes[.refused] ?? []).isEmpty, "no seed of \(name) is refused")
    }

    @Test("every input that once crashed a target is now refused or read without a crash",
          arguments: FuzzTarget.all.map(\.name))
    func regressions(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for input in Self.inputs(Self.fuzzFolder + "/regressions/" + name) {
            let expected: FuzzTarget.Outcome = input.name.hasPrefix("accepted-") ? .accepted : .refused
            #expect(target.run(input.bytes) == expected, "fuzz/regressions/\(name)/\(input.name)")
        }
    }

    @Test("the targets are the parsers of untrusted bytes the security notes list")
    func targets() {
        #expect(FuzzTarget.all.map(\.name) == ["coco", "yolo", "voc", "tar", "car", "unixfs", "cid", "png", "jpeg", "intent", "config"])
    }
}
