internal import CSodium

/// Cryptographically secure random bytes from libsodium (`randombytes_buf`).
public enum SecureRandom {
    /// Returns `count` random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        Sodium.ensureInitialised()
        precondition(count >= 0, "count must not be negative")
        var buffer = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return buffer }
        buffer.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return buffer
    }

    /// Returns a uniformly distributed random number in `0..<upperBound`.
    public static func uniform(_ upperBound: UInt32) -> UInt32 {
        Sodium.ensureInitialised()
        return randombytes_uniform(upperBound)
    }
}
