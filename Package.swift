// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Lightbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lightbox", targets: ["LightboxCLI"]),
        .library(name: "LightboxCrypto", targets: ["LightboxCrypto"]),
        .library(name: "ContentAddressing", targets: ["ContentAddressing"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "Vision", targets: ["Vision"]),
        .library(name: "Persistence", targets: ["Persistence"]),
        .library(name: "JobQueue", targets: ["JobQueue"]),
        .library(name: "JobQueueTesting", targets: ["JobQueueTesting"]),
        .library(name: "Node", targets: ["Node"]),
        .library(name: "Marketplace", targets: ["Marketplace"]),
        .library(name: "Server", targets: ["Server"]),
        .executable(name: "lightbox-fuzz", targets: ["LightboxFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // MARK: System libraries (module map + pkg-config + apt provider, nothing else)
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: Libraries
        .target(
            name: "LightboxCrypto",
            dependencies: ["CSodium", "CSecp256k1", "CCrypto"]
        ),
        .target(
            name: "ContentAddressing",
            dependencies: ["LightboxCrypto"]
        ),
        .target(
            name: "Ledger",
            dependencies: [
                "LightboxCrypto",
                "Persistence",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Vision",
            dependencies: ["CPNG", "CDeflate", "CJPEG", "LightboxCrypto", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Storage",
            dependencies: [
                "ContentAddressing",
                "LightboxCrypto",
                "Persistence",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Persistence",
            dependencies: [
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "JobQueue",
            dependencies: [
                "Persistence",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "JobQueueTesting", dependencies: ["JobQueue"]),
        .target(
            name: "Node",
            dependencies: [
                "LightboxCrypto",
                "Persistence",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Marketplace",
            dependencies: [
                "ContentAddressing",
                "JobQueue",
                "Ledger",
                "LightboxCrypto",
                "Node",
                "Persistence",
                "Storage",
                "Vision",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            // The HTTP API's request and response types, shared by the server and the CLI.
            name: "MarketAPI",
            dependencies: ["Ledger", "Marketplace"]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Ledger",
                "Marketplace",
                "MarketAPI",
                "ContentAddressing",
                "Storage",
                "JobQueue",
                "LightboxCrypto",
                "Node",
                "Persistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The API's description lives in schemas/ (this is a link to it) and is compiled into the server, as are
            // the web pages' templates and assets: a node serves everything its pages need.
            resources: [
                .embedInCode("OpenAPI/openapi.yaml"),
                .embedInCode("Pages/Templates/head.mustache"), .embedInCode("Pages/Templates/foot.mustache"),
                .embedInCode("Pages/Templates/error.mustache"), .embedInCode("Pages/Templates/search.mustache"),
                .embedInCode("Pages/Templates/listing.mustache"), .embedInCode("Pages/Templates/ledger.mustache"),
                .embedInCode("Pages/Assets/site.css"), .embedInCode("Pages/Assets/verify.js"),
                .embedInCode("Pages/Assets/icon.svg"),
            ]
        ),
        .executableTarget(
            name: "LightboxCLI",
            dependencies: [
                "MarketAPI",
                "ContentAddressing",
                "Storage",
                "Ledger",
                "Vision",
                "JobQueue",
                "LightboxCrypto",
                "Node",
                "Persistence",
                "Marketplace",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Fuzzing (ops/fuzz builds LightboxFuzz with libFuzzer; the tests replay each target's corpus)
        .target(
            name: "FuzzTargets",
            dependencies: ["ContentAddressing", "Ledger", "LightboxCrypto", "Marketplace", "Node", "Vision"]
        ),
        .executableTarget(name: "LightboxFuzz", dependencies: ["FuzzTargets"]),

        // MARK: Tests
        .target(
            name: "LightboxTestSupport",
            dependencies: [
                "Ledger",
                "LightboxCrypto",
                "Persistence",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support"
        ),
        .testTarget(name: "LightboxCryptoTests", dependencies: ["LightboxCrypto"]),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "LightboxCrypto", "Persistence", "LightboxTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ContentAddressingTests", dependencies: ["ContentAddressing", "CSodium", "LightboxCrypto"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "VisionTests",
            dependencies: ["Vision", "CDeflate", "LightboxCrypto", "Persistence", "LightboxTestSupport", .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures", "Annotations/Fixtures"]
        ),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CPNG", "CJPEG", "CSecp256k1"]),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["Persistence", "LightboxTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Node", "LightboxCrypto", "Persistence",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Node", "Persistence", "JobQueue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "MarketplaceTests",
            dependencies: [
                "Marketplace", "Server", "Ledger", "LightboxCrypto", "Vision", "Storage", "JobQueue", "Node", "Persistence",
                "LightboxTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "JobQueueTesting", "Persistence", "LightboxTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "ContentAddressing", "LightboxCrypto", "LightboxTestSupport", "Persistence", "Server",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "FuzzTargetTests", dependencies: ["FuzzTargets"]),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "LightboxTestSupport", "Persistence", "Ledger", "LightboxCrypto", "Node", "Marketplace",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
