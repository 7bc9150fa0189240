import Marketplace
import Node
import Server

/// The limit settings as the marketplace and the HTTP server take them.
extension UploadLimits {
    init(_ settings: Settings) {
        self.init(
            fileBytes: settings.uploadMaxFileBytes, uploadBytes: settings.uploadMaxBytes, files: settings.uploadMaxFiles,
            openUploadsPerAccount: settings.uploadsOpenPerAccount, accountBytes: settings.uploadsAccountBytes,
            expirySeconds: settings.uploadsExpirySeconds, keepPlaintext: settings.uploadsKeepPlaintext)
    }
}

extension RateLimits {
    init(_ settings: Settings) {
        self.init(
            client: .init(perSecond: Double(settings.clientRate.perSecond), burst: Double(settings.clientRate.burst)),
            account: .init(perSecond: Double(settings.accountRate.perSecond), burst: Double(settings.accountRate.burst)))
    }
}

extension HTTPTimeouts {
    init(_ settings: Settings) {
        self.init(header: settings.httpHeaderTimeout, idle: settings.httpIdleTimeout)
    }
}
