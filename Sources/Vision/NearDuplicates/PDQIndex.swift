/// An index of PDQ hashes answering "which hashes are within distance d of this one" without a linear scan.
///
/// Multi-index hashing (Norouzi et al.): the 256 bits are cut into sixteen 16-bit segments, each with a table from
/// segment value to the entries holding it. Two hashes within distance d ≤ 47 agree on some segment to within
/// ⌊d / 16⌋ bits (pigeonhole), so a query probes each segment's value and its neighbours within that radius and
/// checks only those candidates. The tables are flat arrays (counts, then entry numbers), about 4 bytes per entry
/// and segment plus the 32-byte hashes.
public struct PDQIndex: Sendable {
    /// The hashes, in the order given; a match names its position here.
    public let hashes: [PDQHash]
    /// For segment s: entries with segment value v are `entries[s][starts[s][v] ..< starts[s][v + 1]]`.
    private let starts: [[UInt32]]
    private let entries: [[UInt32]]

    /// The largest distance queries can ask for (radius 2 per segment).
    public static let maximumDistance = 47

    /// Builds the index.
    public init(_ hashes: [PDQHash]) {
        precondition(hashes.count < Int(UInt32.max), "too many hashes for one index")
        self.hashes = hashes
        var starts: [[UInt32]] = []
        var entries: [[UInt32]] = []
        starts.reserveCapacity(16)
        entries.reserveCapacity(16)
        for segment in 0..<16 {
            var counts = [UInt32](repeating: 0, count: 65_537)
            for hash in hashes { counts[Int(Self.segment(hash, segment)) + 1] += 1 }
            for value in 0..<65_536 { counts[value + 1] += counts[value] }
            var next = counts
            var list = [UInt32](repeating: 0, count: hashes.count)
            for (position, hash) in hashes.enumerated() {
                let value = Int(Self.segment(hash, segment))
                list[Int(next[value])] = UInt32(position)
                next[value] += 1
            }
            starts.append(counts)
            entries.append(list)
        }
        self.starts = starts
        self.entries = entries
    }

    /// A hash within the distance of the query: its position in ``hashes`` and the distance.
    public struct Match: Sendable, Hashable {
        public var position: Int
        public var distance: Int

        public init(position: Int, distance: Int) {
            self.position = position
            self.distance = distance
        }
    }

    /// Every indexed hash within `distance` of `query` (at most ``maximumDistance``), nearest first.
    public func matches(of query: PDQHash, within distance: Int = PDQHash.matchThreshold) -> [Match] {
        precondition(distance >= 0 && distance <= Self.maximumDistance, "distance out of range")
        let radius = distance / 16
        var found: [Match] = []
        for segment in 0..<16 {
            let value = Self.segment(query, segment)
            Self.neighbours(of: value, radius: radius) { probe in
                let table = starts[segment]
                let list = entries[segment]
                for slot in Int(table[Int(probe)])..<Int(table[Int(probe) + 1]) {
                    let position = Int(list[slot])
                    let candidate = hashes[position]
                    // Report each candidate once: from the first segment in which it is within the radius.
                    if segment > 0, Self.foundEarlier(candidate, query, before: segment, radius: radius) { continue }
                    let measured = candidate.distance(to: query)
                    if measured <= distance { found.append(Match(position: position, distance: measured)) }
                }
            }
        }
        return found.sorted { ($0.distance, $0.position) < ($1.distance, $1.position) }
    }

    @inline(__always)
    static func segment(_ hash: PDQHash, _ segment: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: hash.words[segment / 4] >> UInt64((segment % 4) * 16))
    }

    private static func foundEarlier(_ candidate: PDQHash, _ query: PDQHash, before segment: Int, radius: Int) -> Bool {
        for earlier in 0..<segment
        where (Self.segment(candidate, earlier) ^ Self.segment(query, earlier)).nonzeroBitCount <= radius {
            return true
        }
        return false
    }

    /// Calls `body` with every 16-bit value within `radius` bits of `value` (radius ≤ 2).
    private static func neighbours(of value: UInt16, radius: Int, _ body: (UInt16) -> Void) {
        body(value)
        guard radius >= 1 else { return }
        for first in 0..<16 {
            let once = value ^ (1 << UInt16(first))
            body(once)
            guard radius >= 2 else { continue }
            for second in (first + 1)..<16 { body(once ^ (1 << UInt16(second))) }
        }
    }
}
