internal import CSodium

/// Comparisons whose time does not depend on where the inputs differ (for tokens and MACs).
public enum ConstantTime {
    /// Whether `a` and `b` are equal; lengths are compared first (a length is not a secret).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        Sodium.ensureInitialised()
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in sodium_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}
