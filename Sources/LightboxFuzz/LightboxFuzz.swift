import FuzzTargets
import Foundation

// Built two ways. With `-D FUZZING` and `-sanitize=fuzzer` (what `ops/fuzz` does), libFuzzer's driver runs and
// feeds each input it makes to the target named by LIGHTBOX_FUZZ_TARGET. Built plainly,
// it replays files through a target, to reproduce a crash without the fuzzer: `lightbox-fuzz TARGET PATH...`.

#if FUZZING
// libFuzzer's own driver does the fuzzing; `main` hands it the command line and the function it calls with each
// input. (libFuzzer's `main` cannot be used: SwiftPM names an executable's entry point after its module.)
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

private nonisolated(unsafe) var selectedTarget: FuzzTarget?

@main
struct LightboxFuzz {
    static func main() {
        let name = ProcessInfo.processInfo.environment["LIGHTBOX_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget.named(name) else {
            FileHandle.standardError.write(Data("set LIGHTBOX_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        selectedTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            _ = selectedTarget?.run(input)
            return 0
        })
    }
}
#else
@main
struct LightboxFuzz {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, name != "--list" else {
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
            return
        }
        guard let target = FuzzTarget.named(name) else {
            fail("no fuzz target named '\(name)'; the targets are \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
        }
        guard arguments.count > 1 else { fail("name the files or folders of inputs to replay through \(name)") }
        var counts: [FuzzTarget.Outcome: Int] = [:]
        for path in arguments.dropFirst() {
            for file in inputs(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                counts[target.run(Array(data)), default: 0] += 1
            }
        }
        print("\(name): \(counts[.accepted] ?? 0) accepted, \(counts[.refused] ?? 0) refused, no crash")
    }

    /// The file at `path`, or the files in the folder at `path`, sorted.
    static func inputs(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { fail("\(path) does not exist") }
        guard isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("lightbox-fuzz: \(message)\n".utf8))
        exit(2)
    }
}
#endif
