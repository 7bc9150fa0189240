internal import CSodium

/// One-time initialisation of libsodium, shared by every wrapper in this module.
enum Sodium {
    /// `sodium_init()` is idempotent and thread-safe; a lazily initialised static runs it once per process.
    private static let initialised: Bool = sodium_init() >= 0

    /// Makes sure libsodium is initialised; traps only if the library cannot start at all (no entropy source).
    static func ensureInitialised() {
        precondition(initialised, "libsodium could not be initialised (no usable random source)")
    }

    /// The linked libsodium version, e.g. "1.0.18".
    static var versionString: String {
        String(cString: sodium_version_string())
    }
}

/// Facts about the cryptographic libraries this build links against.
public enum CryptoLibraries {
    /// The version of libsodium linked into this process.
    public static var sodiumVersion: String { Sodium.versionString }
}
