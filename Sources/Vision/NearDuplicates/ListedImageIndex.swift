/// An image in a listing already on the marketplace, as the near-duplicate index keeps it.
public struct ListedImage: Sendable, Hashable {
    /// The listing that holds it.
    public var listing: String
    /// Its path within that listing's dataset.
    public var path: String
    public var hash: PDQHash
    /// The SHA-256 of its file's bytes (hex), when its report gave one.
    public var sha256: String?
    /// Its decoded pixels' fingerprint (``ImageSummary/pixelFingerprint``), when its report gave one.
    public var pixels: String?

    public init(listing: String, path: String, hash: PDQHash, sha256: String? = nil, pixels: String? = nil) {
        self.listing = listing
        self.path = path
        self.hash = hash
        self.sha256 = sha256
        self.pixels = pixels
    }
}

/// The PDQ hashes and exact fingerprints of every image in every minted listing, searchable for near-duplicates
/// and exact copies, so that a resold copy of someone else's data is caught before it is listed again — also an
/// image too flat for PDQ to tell apart, by its bytes or its pixels.
public struct ListedImageIndex: Sendable {
    public let images: [ListedImage]
    private let index: PDQIndex
    private let bySHA256: [String: Int]
    private let byPixels: [String: Int]

    public init(_ images: [ListedImage]) {
        self.images = images
        self.index = PDQIndex(images.map(\.hash))
        var bySHA256: [String: Int] = [:], byPixels: [String: Int] = [:]
        for (position, image) in images.enumerated() {
            if let sha256 = image.sha256, bySHA256[sha256] == nil { bySHA256[sha256] = position }
            if let pixels = image.pixels, byPixels[pixels] == nil { byPixels[pixels] = position }
        }
        self.bySHA256 = bySHA256
        self.byPixels = byPixels
    }

    /// A listed image with exactly these bytes (`sameBytes`) or, failing that, exactly these pixels.
    public func exactCopy(sha256: String, pixels: String?) -> (image: ListedImage, sameBytes: Bool)? {
        if let position = bySHA256[sha256] { return (images[position], true) }
        if let pixels, let position = byPixels[pixels] { return (images[position], false) }
        return nil
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
