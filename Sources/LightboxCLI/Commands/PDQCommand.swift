import ArgumentParser
import Foundation
import Vision

struct PDQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdq",
        abstract: "Print the PDQ perceptual hash of images, one line each, as Meta's reference hasher does.",
        discussion: """
            Each line is HASH,QUALITY,PATH: 64 hex digits, the quality (0–100; Meta discards hashes below 50), the \
            path. The whole image is hashed (no 512-pixel pre-resize); alpha is dropped, palettes expanded, greyscale \
            used as is. With --dihedral, the hashes of the seven rotations and flips follow the first \
            (rot90, rot180, rot270, flipx, flipy, flip+1, flip-1). A file that cannot be decoded is reported on \
            standard error and the exit status is 1.
            """
    )

    @Flag(help: "Also print the hashes of the image's rotations and flips.")
    var dihedral = false

    @Option(name: .customLong("pixel-budget"), help: "The most pixels an image may have.")
    var pixelBudget = ImageDecoder.defaultPixelBudget

    @Argument(help: "PNG or JPEG files.")
    var files: [String]

    func run() async throws {
        var failed = false
        let decoder = ImageDecoder(pixelBudget: pixelBudget)
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("lightbox: cannot read \(path)\n".utf8))
                failed = true
                continue
            }
            do {
                let image = try decoder.decode([UInt8](data)).image
                if dihedral {
                    let result = PDQHasher().dihedralHashes(image)
                    print(result.all.map(\.description).joined(separator: ",") + ",\(result.quality),\(path)")
                } else {
                    let result = PDQHasher().hash(image)
                    print("\(result.hash),\(result.quality),\(path)")
                }
            } catch {
                FileHandle.standardError.write(Data("lightbox: \(path): \(error.message)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
