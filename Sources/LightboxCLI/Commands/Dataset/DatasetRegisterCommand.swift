import ArgumentParser
import Foundation
import Node
import Marketplace
import Vision

struct DatasetRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Add a minted listing's images to this node's index of listed images.",
        discussion: """
            Reads the PDQ hashes from the listing's report (the `images` section `lightbox dataset check --report` \
            writes) into the node's database, as minting does, so that later checks with --listed catch copies of \
            them. Registering the same listing again changes nothing.
            """
    )

    @Option(help: "The listing id.") var listing: String
    @Argument(help: "The listing's report (JSON).") var report: String
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        try await CommandFailure.guarding {
            guard let data = FileManager.default.contents(atPath: report) else {
                throw CommandError("cannot read \(report)")
            }
            let images: [ListedImage]
            do {
                images = try DatasetReport.listedImages(reportJSON: Array(data), listing: listing)
            } catch let error as VisionError {
                throw CommandError("\(report): \(error.message)")
            }
            let (runtime, logger) = try await NodeLauncher.startQuietly(settings)
            do {
                try await ListedImageStore(database: runtime.database).add(images, logger: logger)
                await runtime.stop()
            } catch {
                await runtime.stop()
                throw error
            }
            print("listing \(listing): \(images.count) images registered")
        }
    }
}
