extension Settings {
    /// The limits that keep one client from exhausting the node: connection time-outs, upload and account
    /// quotas, request rates, sign-in challenges, and the memory the quality check may use.
    static let limitDefinitions: [SettingDefinition] = [
        .init(key: "http.header-timeout", help: "Seconds a client has to send a whole request head (from connecting, "
              + "or from the end of the previous response) before the connection is closed.",
              kind: .integer(1...3600), defaultValue: "10", isSecret: false),
        .init(key: "http.idle-timeout", help: "Seconds a connection may send and receive nothing before it is closed.",
              kind: .integer(1...86_400), defaultValue: "60", isSecret: false),
        .init(key: "uploads.max-file-bytes", help: "Bytes one uploaded file may hold.",
              kind: .integer(1...(1 << 40)), defaultValue: String(256 << 20), isSecret: false),
        .init(key: "uploads.max-bytes", help: "Bytes one upload may hold, all its files together.",
              kind: .integer(1...(1 << 50)), defaultValue: String(16 << 30), isSecret: false),
        .init(key: "uploads.max-files", help: "Files one upload may hold.",
              kind: .integer(1...10_000_000), defaultValue: "200000", isSecret: false),
        .init(key: "uploads.open-per-account", help: "Uploads one account may have open (not yet published) at once.",
              kind: .integer(1...100_000), defaultValue: "10", isSecret: false),
        .init(key: "uploads.account-bytes", help: "Bytes one account may keep on the node: its uploads' files not yet "
              + "removed and its dispute evidence, together.", kind: .integer(1...(1 << 50)),
              defaultValue: String(32 << 30), isSecret: false),
        .init(key: "uploads.expiry", help: "Seconds an open upload may receive nothing before it is removed with its "
              + "files; also the age at which staging files of interrupted transfers are removed.",
              kind: .integer(60...31_536_000), defaultValue: "172800", isSecret: false),
        .init(key: "uploads.keep-plaintext", help: "Keep a published upload's plaintext files once their encrypted copy "
              + "is stored (by default they are removed).", kind: .boolean, defaultValue: "false", isSecret: false),
        .init(key: "uploads.sweep-interval", help: "Seconds between sweeps that remove expired uploads, staging files, "
              + "published plaintext and expired sign-in challenges and tokens.",
              kind: .integer(1...86_400), defaultValue: "60", isSecret: false),
        .init(key: "rate.client-per-second", help: "Write requests (POST, PUT, DELETE; file transfers excepted) one "
              + "client address may make per second, on average; past it, 429 with Retry-After.",
              kind: .integer(1...1_000_000), defaultValue: "20", isSecret: false),
        .init(key: "rate.client-burst", help: "Write requests one client address may make at once before its rate applies.",
              kind: .integer(1...1_000_000), defaultValue: "100", isSecret: false),
        .init(key: "rate.account-per-second", help: "Write requests (file transfers excepted) one signed-in account may "
              + "make per second, on average; past it, 429 with Retry-After.",
              kind: .integer(1...1_000_000), defaultValue: "10", isSecret: false),
        .init(key: "rate.account-burst", help: "Write requests one account may make at once before its rate applies.",
              kind: .integer(1...1_000_000), defaultValue: "50", isSecret: false),
        .init(key: "sign-in.challenges-per-address", help: "Sign-in challenges one address may have waiting at once.",
              kind: .integer(1...1000), defaultValue: "5", isSecret: false),
        .init(key: "vision.memory-limit", help: "Bytes the quality check's image decoding may hold at once, across "
              + "every image being decoded; a single image that needs more is reported, not decoded.",
              kind: .integer((64 << 20)...(1 << 40)), defaultValue: String(512 << 20), isSecret: false),
    ]

    private func integer(_ key: String) -> Int { Int(value(key)!)! }

    /// How long a client has to send a request head.
    public var httpHeaderTimeout: Duration { .seconds(integer("http.header-timeout")) }
    /// How long a connection may sit idle.
    public var httpIdleTimeout: Duration { .seconds(integer("http.idle-timeout")) }
    /// Bytes in one uploaded file.
    public var uploadMaxFileBytes: Int64 { Int64(integer("uploads.max-file-bytes")) }
    /// Bytes in one upload.
    public var uploadMaxBytes: Int64 { Int64(integer("uploads.max-bytes")) }
    /// Files in one upload.
    public var uploadMaxFiles: Int { integer("uploads.max-files") }
    /// Open uploads per account.
    public var uploadsOpenPerAccount: Int { integer("uploads.open-per-account") }
    /// Bytes one account may keep.
    public var uploadsAccountBytes: Int64 { Int64(integer("uploads.account-bytes")) }
    /// Seconds before an idle open upload is removed.
    public var uploadsExpirySeconds: Int64 { Int64(integer("uploads.expiry")) }
    /// Whether published plaintext stays.
    public var uploadsKeepPlaintext: Bool { value("uploads.keep-plaintext") == "true" }
    /// Time between sweeps.
    public var sweepInterval: Duration { .seconds(integer("uploads.sweep-interval")) }
    /// Client-address write rate and burst.
    public var clientRate: (perSecond: Int, burst: Int) { (integer("rate.client-per-second"), integer("rate.client-burst")) }
    /// Account write rate and burst.
    public var accountRate: (perSecond: Int, burst: Int) { (integer("rate.account-per-second"), integer("rate.account-burst")) }
    /// Waiting sign-in challenges per address.
    public var challengesPerAddress: Int { integer("sign-in.challenges-per-address") }
    /// Bytes image decoding may hold at once.
    public var visionMemoryLimit: Int { integer("vision.memory-limit") }
}
