/// An image in a listing already on the marketplace, as the near-duplicate index keeps it.
public struct ListedImage: Sendable, Hashable {
    /// The listing that holds it.
    public var listing: String
    /// Its path within that listing's dataset.
    public var path: String
    public var hash: PDQHash

    public init(listing: String, path: String, hash: PDQHash) {
        self.listing = listing
        self.path = path
        self.hash = hash
    }
}

/// The PDQ hashes of every image in every minted listing, searchable for near-duplicates, so that a resold copy
/// of someone else's data is caught before it is listed again.
public struct ListedImageIndex: Sendable {
    public let images: [ListedImage]
    private let index: PDQIndex

    public init(_ images: [ListedImage]) {
        self.images = images
        self.index = PDQIndex(images.map(\.hash))
    }

    /// The nearest listed image within `distance` of any of the hashes (an image and its rotations and flips).
    public func nearest(to hashes: [PDQHash], within distance: Int) -> (image: ListedImage, distance: Int, variant: Int)? {
        var best: (image: ListedImage, distance: Int, variant: Int)?
        for (variant, hash) in hashes.enumerated() {
            guard let match = index.matches(of: hash, within: distance).first else { continue }
            if best == nil || match.distance < best!.distance {
                best = (images[match.position], match.distance, variant)
            }
        }
        return best
    }

    public var count: Int { images.count }
}
