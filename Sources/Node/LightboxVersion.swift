/// The version of this Lightbox build.
public enum LightboxVersion {
    /// Semantic version of the release.
    public static let current = "0.1.0"
}
