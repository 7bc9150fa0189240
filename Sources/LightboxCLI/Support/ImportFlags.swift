import ArgumentParser
import ContentAddressing

/// The UnixFS import flags `ipfs add` has, with Kubo's defaults.
struct ImportFlags: ParsableArguments {
    @Option(name: .customLong("cid-version"), help: "CID version, 0 or 1.")
    var cidVersion: Int = 0

    @Option(
        name: .customLong("raw-leaves"),
        help: ArgumentHelp("Store leaves as raw blocks (true or false; a bare --raw-leaves means true).", valueName: "bool"))
    var rawLeaves: Bool?

    @Option(name: .customLong("chunker"), help: "Chunking: size-N, N bytes per leaf (1 to 2096896).")
    var chunker: String = "size-\(ImportOptions.defaultChunkSize)"

    @Option(name: .customLong("max-file-links"), help: "Links per internal file node.")
    var maxFileLinks: Int = ImportOptions.defaultMaxLinks

    @Flag(name: .customLong("hidden"), help: "Include files and directories whose names start with '.'.")
    var hidden = false

    /// The import options these flags describe.
    func options() throws(ContentAddressingError) -> ImportOptions {
        try ImportOptions(
            cidVersion: cidVersion, rawLeaves: rawLeaves, chunkSize: try Self.chunkSize(chunker), maxLinks: maxFileLinks,
            includeHidden: hidden)
    }

    static func chunkSize(_ chunker: String) throws(ContentAddressingError) -> Int {
        guard chunker.hasPrefix("size-"), let size = Int(chunker.dropFirst(5)) else {
            throw ContentAddressingError(
                .invalidOption, "chunker '\(chunker)' is not supported; use size-N (for example size-262144)")
        }
        return size
    }
}
