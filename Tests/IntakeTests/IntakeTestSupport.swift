import CallEvents
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Intake
import Kafka
import Logging
import NIOCore
import Testing
import ProcessTestSupport

/// A logger for tests: errors only unless `CALLSTREAM_TEST_LOG` names a level.
func testLogger(_ label: String = "intake-test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}

let eventsTopic = "callstream.events"
let directoryTopic = "callstream.directory"

/// Runs `body` with a fresh embedded cluster holding the intake's topics; always shuts it down.
func withEmbeddedCluster<T>(_ body: (EmbeddedKafkaCluster) async throws -> T) async throws -> T {
    let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: testLogger("embedded"))
    try cluster.createTopic(eventsTopic, partitions: 4)
    try cluster.createTopic(directoryTopic, partitions: 3)
    do {
        let result = try await body(cluster)
        await cluster.shutdown()
        return result
    } catch {
        await cluster.shutdown()
        throw error
    }
}

/// An intake on a free loopback port talking to `cluster`, with short timeouts for tests.
func testConfiguration(_ cluster: EmbeddedKafkaCluster) -> IntakeConfiguration {
    var configuration = IntakeConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.bootstrapServers = cluster.bootstrapServers
    configuration.publishTimeout = .seconds(3)
    configuration.brokerProbeInterval = .milliseconds(200)
    configuration.brokerProbeTimeout = .seconds(1)
    configuration.shutdownTimeout = .seconds(5)
    configuration.kafkaProperties = ["reconnect.backoff.max.ms": "500", "topic.metadata.refresh.interval.ms": "1000"]
    return configuration
}

/// Runs `body` against a live intake (a real HTTP client over a loopback port).
func withIntake<T: Sendable>(
    _ configuration: IntakeConfiguration, _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = try buildIntake(configuration: configuration, logger: testLogger("intake"))
    return try await app.test(.live, body)
}

/// The sample call webhooks, one body per JSONL line, as sent (bytes exactly as in the files).
func sampleWebhooks() throws -> [[UInt8]] {
    let directory = packageRoot.appendingPathComponent("config/samples")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
    var bodies: [[UInt8]] = []
    for file in files {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            bodies.append(Array(line))
        }
    }
    return bodies
}

/// `$CALLSTREAM_BIN`, else `.build/debug/callstream`.
var callstreamExecutable: URL {
    if let path = ProcessInfo.processInfo.environment["CALLSTREAM_BIN"] { return URL(fileURLWithPath: path) }
    return packageRoot.appendingPathComponent(".build/debug/callstream")
}

/// Runs `callstream` with `arguments` in the repository's root to its end: its status and output (stdout and stderr).
func runCallstream(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = callstreamExecutable
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = await output.fileHandleForReading.dataToEnd()
    await process.exited()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension TestClientProtocol {
    func post(_ uri: String, _ body: [UInt8], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    func post(_ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await post(uri, Array(body.utf8), headers: headers)
    }
}

extension TestResponse {
    var bodyBytes: [UInt8] { Array(body.readableBytesView) }
    var bodyText: String { String(buffer: body) }

    /// The parsed JSON body as an object of values.
    func jsonObject() throws -> JSONObject {
        let value = try JSONValue(parsing: bodyBytes)
        return try #require(value.objectValue, "body is not an object: \(bodyText)")
    }

    /// The `error` code of a JSON error body.
    func errorCode() throws -> String? {
        try jsonObject()["error"]?.stringValue
    }
}

/// Messages in `topic` (every partition), read from the beginning until `count` arrived (bounded wait).
func readTopic(_ cluster: EmbeddedKafkaCluster, topic: String, partitions: Int32, count: Int) async throws -> [KafkaMessage] {
    guard count > 0 else { return [] }
    let configuration = KafkaConsumerConfiguration(
        bootstrapServers: cluster.bootstrapServers,
        subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
        groupID: nil
    )
    let consumer = try KafkaConsumer(configuration: configuration, logger: testLogger("reader"))
    let runner = Task { try await consumer.run() }
    let timeout = Task {
        try await Task.sleep(for: .seconds(60))
        consumer.triggerGracefulShutdown()
    }
    var messages: [KafkaMessage] = []
    for await event in consumer.events {
        if case .message(let message) = event {
            messages.append(message)
            if messages.count >= count { break }
        }
    }
    timeout.cancel()
    consumer.triggerGracefulShutdown()
    try await runner.value
    return messages
}

/// How many messages `topic` holds (sum of high minus low watermarks): asks the broker now.
func messageCount(_ cluster: EmbeddedKafkaCluster, topic: String) async throws -> Int64 {
    let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger("admin"))
    do {
        let metadata = try await admin.metadata(topics: [topic])
        await admin.shutdown()
        return metadata.topic(topic)?.partitions.map(\.messageCount).reduce(0, +) ?? 0
    } catch {
        await admin.shutdown()
        throw error
    }
}

/// Polls `condition` every 50 ms until it holds; fails after `timeout` (a bound, not a speed goal).
func eventually(_ what: Comment, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting: \(what)")
    throw CancellationError()
}
