// swift-tools-version:6.1
import PackageDescription

/// Every target of ours compiles in Swift 6 language mode with existentials spelled out.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "callstream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "callstream", targets: ["CallStreamCommand"]),
        .executable(name: "callstream-bench", targets: ["CallStreamBench"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "CallEvents", targets: ["CallEvents"]),
        .library(name: "CallAssembly", targets: ["CallAssembly"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // librdkafka 2.0.2 from Debian, with the mock cluster header.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CallEvents", swiftSettings: strictSettings),
        .target(name: "CallAssembly", dependencies: ["CallEvents"], swiftSettings: strictSettings),
        .executableTarget(
            name: "CallStreamCommand",
            dependencies: [
                "Kafka",
                "CallEvents",
                "CallAssembly",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CallStreamBench",
            dependencies: [
                "Kafka",
                "CallAssembly",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CallEventsTests", dependencies: ["CallEvents"], swiftSettings: strictSettings),
        .testTarget(
            name: "CallAssemblyTests",
            dependencies: ["CallAssembly", "CallEvents"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KafkaIntegrationTests",
            dependencies: [
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
