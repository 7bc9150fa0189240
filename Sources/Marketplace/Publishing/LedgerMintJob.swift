import ContentAddressing
import Foundation
public import JobQueue
import Ledger
import Vision

/// `ledger.mint`: submits the owner's signed Mint intent, then makes the listing active: its card goes into the
/// search index and its images' PDQ hashes into the index of listed images, in one transaction with the state.
///
/// Nothing is minted twice: the ledger refuses a second listing of the same manifest, and a retry first looks for
/// the listing the manifest already has. A refusal by the ledger (an expired deadline, a nonce used since) fails
/// the publication, and its owner signs again.
public struct LedgerMintJob: JobKind {
    public struct Payload: Codable, Sendable {
        public let publication: String
        /// The signed intent, in its wire form (``SignedIntent/wireJSON``).
        public let intent: String
    }

    public static let name = "ledger.mint"
    public static var maxAttempts: Int { 8 }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let store = market.publications
        let logger = context.logger
        guard let publication = try await PublicationSteps.begin(
            Self.name, of: payload.publication, in: .minting, store: store, logger: logger),
            let attestation = publication.attestation
        else { return }
        let ledger = market.ledger
        var listing = try await ledger.listing(manifestCID: attestation.manifestCID)
        if listing == nil {
            let signed = try ledger.signedIntent(wireJSON: Array(payload.intent.utf8))
            do {
                let receipt = try await ledger.submit(signed)
                let minted = receipt.events.first { $0.name == "ListingMinted" }?.listingID
                if let minted { listing = try await ledger.listing(minted) }
            } catch let error as LedgerError {
                try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, _ in
                    publication.state = .failed
                    publication.error = "the ledger refused the Mint intent: \(error.message); sign it again"
                }
                return
            }
        }
        guard let listing else { throw MarketplaceError(.conflict, "the ledger accepted the mint but shows no listing") }
        // From the blockstore, not the work folder: the check may have run on another process's disk.
        guard let reportCID = try publication.report.map({ try CID($0.cid) }) else {
            throw MarketplaceError(.conflict, "publication \(publication.id) has no quality report to list its images from")
        }
        let report = try await market.storedFile(reportCID)
        let images = try DatasetReport.listedImages(reportJSON: report, listing: String(listing.id))
        let listings = market.listings
        try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, connection in
            publication.listingID = listing.id
            publication.state = .active
            publication.error = nil
            try await listings.add(ListingCard(listing: listing, publication: publication), on: connection)
            try await ListedImageStore.add(images, on: connection)
        }
    }
}
