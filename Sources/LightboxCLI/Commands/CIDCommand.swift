import ArgumentParser
import ContentAddressing
import Foundation

struct CIDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cid",
        abstract: "Print the root CID of a file or directory exactly as `ipfs add -Q --only-hash -r` would.",
        discussion: """
            The defaults are Kubo's: CIDv0, 256 KiB chunks (size-262144), 174 links per node, balanced layout; \
            --cid-version 1 implies raw leaves unless --raw-leaves says otherwise. Directories larger than Kubo's \
            threshold are sharded (HAMT) as Kubo shards them; names starting with "." are left out unless --hidden. \
            With --car the whole DAG is also written as a CAR v1 file (written whole or not at all).
            """
    )

    @OptionGroup var importFlags: ImportFlags

    @Option(name: .customLong("car"), help: "Also write the DAG to this CAR v1 file.")
    var car: String?

    @Flag(name: .customLong("print-peak-memory"), help: .hidden)
    var printPeakMemory = false

    @Argument(help: "The file or directory.")
    var path: String

    func run() async throws {
        try await CommandFailure.guarding {
            let importer = UnixFSImporter(options: try importFlags.options())
            let root: CID
            if let car {
                let writer = try CARFileWriter(path: car, rootCIDLength: try importer.rootCIDLength(forPath: path))
                do {
                    root = try importer.importPath(path, into: writer).cid
                    try writer.finish(root: root)
                } catch {
                    writer.abandon()
                    throw error
                }
            } else {
                root = try importer.importPath(path, into: DiscardingBlockSink()).cid
            }
            print(root)
            if printPeakMemory { PeakMemory.report() }
        }
    }
}

/// Lets `--raw-leaves` stand alone, as Kubo's flag does, by reading it as `--raw-leaves=true`.
enum ArgumentNormalisation {
    static func normalised(_ arguments: [String]) -> [String] {
        var out = [String]()
        for (index, argument) in arguments.enumerated() {
            let next = index + 1 < arguments.count ? arguments[index + 1].lowercased() : nil
            if argument == "--raw-leaves" && next != "true" && next != "false" {
                out.append("--raw-leaves=true")
            } else {
                out.append(argument)
            }
        }
        return out
    }
}

/// The process's own peak resident memory, for `lightbox bench cid`.
///
/// Read from `VmHWM` in /proc/self/status: the high-water mark of this program's address space alone. The
/// `ru_maxrss` a parent gets from wait4 also counts the parent's memory at the moment of exec, so it cannot be used.
enum PeakMemory {
    static func report() {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return }
        FileHandle.standardError.write(Data("peak_rss_bytes=\(kilobytes * 1024)\n".utf8))
    }
}
