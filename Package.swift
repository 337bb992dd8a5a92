// swift-tools-version:6.1
import PackageDescription

/// Every target of ours compiles in Swift 6 language mode with existentials spelled out.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// jemalloc for the executables users run. The worker's events are allocated on the consumer's
/// polling thread and freed on other threads, a pattern glibc's arenas handle with locks,
/// consolidation and page faults: the worker's replays ran about 1.4x the events per second with
/// jemalloc. The intake and the sinks run on the same allocator. Linked, not preloaded: its malloc
/// comes before the C library's for every library. Not callstream-bench: the embedded broker runs
/// in its process and serves kcat too, and jemalloc slowed it by about a fifth there; the bench runs
/// the worker as `callstream replay`, a process of its own (nor callstream-instructions: valgrind
/// brings its own malloc).
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "callstream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "callstream", targets: ["CallStreamCommand"]),
        .executable(name: "callstream-bench", targets: ["CallStreamBench"]),
        .executable(name: "callstream-instructions", targets: ["CallStreamInstructions"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "CallEvents", targets: ["CallEvents"]),
        .library(name: "CallAssembly", targets: ["CallAssembly"]),
        .library(name: "Intake", targets: ["Intake"]),
        .executable(name: "callstream-intake", targets: ["CallStreamIntake"]),
        .library(name: "Worker", targets: ["Worker"]),
        .library(name: "Observability", targets: ["Observability"]),
        .library(name: "Reliability", targets: ["Reliability"]),
        .executable(name: "callstream-worker", targets: ["CallStreamWorker"]),
        .library(name: "Sinks", targets: ["Sinks"]),
        .library(name: "PostgresSink", targets: ["PostgresSink"]),
        .library(name: "HTTPSink", targets: ["HTTPSink"]),
        .library(name: "MonitorSink", targets: ["MonitorSink"]),
        .library(name: "CallStreamTesting", targets: ["CallStreamTesting"]),
        .executable(name: "callstream-sink", targets: ["CallStreamSink"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: [.defaults, "YAML", "CommandLineArguments"]
        ),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Only the PostgresSink and HTTPSink targets (and SinkTests) use these: nothing else rebuilds with them.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
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
        .target(
            name: "CallAssembly", dependencies: ["CallEvents"], swiftSettings: strictSettings,
            // `Double.rounded()` calls libm's round(), which nothing else links without Foundation.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Intake",
            dependencies: [
                "CallEvents",
                "Kafka",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Every option (key, default, secrecy), the layering of flags, environment and file, and `config check`.
        .target(
            name: "ConfigurationReference",
            dependencies: [
                "Intake",
                "Observability",
                "SinkApp",
                "Worker",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CallStreamIntake",
            dependencies: [
                "Intake",
                "Observability",
                "ConfigurationReference",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: jemalloc
        ),
        // The metrics/health HTTP server and the structured log handler every process shares.
        .target(
            name: "Observability",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Worker",
            dependencies: [
                "CallAssembly",
                "CallEvents",
                "Kafka",
                "Observability",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The load generator and the invariant checker (`callstream load`, `callstream verify`, reliability tests).
        .target(
            name: "Reliability",
            dependencies: [
                "CallEvents",
                "Kafka",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CallStreamWorker",
            dependencies: [
                "Worker",
                "CJemallocOptions",
                "Observability",
                "ConfigurationReference",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: jemalloc
        ),
        .executableTarget(
            name: "CallStreamCommand",
            dependencies: [
                "CJemallocOptions",
                "Intake",
                "Worker",
                "Kafka",
                "CallEvents",
                "CallAssembly",
                "ConfigurationReference",
                "Reliability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: jemalloc
        ),
        .executableTarget(
            name: "CallStreamBench",
            dependencies: [
                "Kafka",
                "CallAssembly",
                "Intake",
                "Worker",
                "CallEvents",
                "CHeapStats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The allocator's bytes in use (glibc mallinfo2), for the bench's memory figures.
        .target(name: "CHeapStats"),
        // jemalloc's options (one arena), for the executables that run the worker.
        .target(name: "CJemallocOptions"),
        // Assembly alone, for callgrind's instruction counts in `make bench`.
        .executableTarget(name: "CallStreamInstructions", dependencies: ["CallAssembly"], swiftSettings: strictSettings),
        // Custom consumers: the sink protocol and runner, and the ready sinks (heavy clients in their own targets).
        .target(
            name: "Sinks",
            dependencies: [
                "CallEvents",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PostgresSink",
            dependencies: [
                "Sinks",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HTTPSink",
            dependencies: [
                "Sinks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MonitorSink",
            dependencies: [
                "Sinks",
                "CallEvents",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `callstream-sink`: the builder the executable and the tests share.
        .target(
            name: "SinkApp",
            dependencies: [
                "Observability",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Sinks",
                "PostgresSink",
                "HTTPSink",
                "MonitorSink",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CallStreamSink",
            dependencies: [
                "SinkApp",
                "ConfigurationReference",
                "Observability",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: jemalloc
        ),
        .target(
            name: "CallStreamTesting",
            dependencies: [
                "Sinks",
                "Kafka",
                "CallAssembly",
                "CallEvents",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Examples/: built by CI like everything else, run against the embedded broker in SinkTests.
        .target(name: "ExampleSinks", dependencies: ["Sinks"], path: "Examples/ExampleSinks", swiftSettings: strictSettings),
        // Test helpers shared by the test targets that start processes (not a product).
        .target(name: "ProcessTestSupport", path: "Tests/Support/ProcessTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "CallEventsTests", dependencies: ["CallEvents"], swiftSettings: strictSettings),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CallAssemblyTests",
            dependencies: ["CallAssembly", "CallEvents"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "ProcessTestSupport",
                "Intake",
                "Kafka",
                "CallEvents",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "ProcessTestSupport",
                "Worker",
                "Observability",
                "Intake",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                "Kafka",
                "CallAssembly",
                "CallEvents",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // docker/, config/ and the README agree with the code; no broker, no Docker engine.
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "ConfigurationReference",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SinkTests",
            dependencies: [
                "Sinks",
                "PostgresSink",
                "HTTPSink",
                "MonitorSink",
                "SinkApp",
                "Observability",
                "CallStreamTesting",
                "ExampleSinks",
                "Kafka",
                "CallAssembly",
                "CallEvents",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "Reliability",
                "Intake",
                "Kafka",
                "CallEvents",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KafkaIntegrationTests",
            dependencies: [
                "ProcessTestSupport",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
