import Foundation
import Kafka

/// Where a test's clients connect: the embedded cluster in the test process, or a separate
/// `callstream broker` process.
protocol KafkaBroker: Sendable {
    var bootstrapServers: String { get }
}

extension EmbeddedKafkaCluster: KafkaBroker {}

/// `callstream broker` as a separate process with CallStream's topics (events and records with
/// 12 partitions), as an operator runs it for several workers.
final class BrokerProcess: KafkaBroker {
    let process = Process()
    let bootstrapServers: String

    init() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broker-\(UUID().uuidString)")
        process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream")
        process.arguments = ["broker", "--bootstrap-file", file.path, "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { try? FileManager.default.removeItem(at: file) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8), !text.isEmpty {
                bootstrapServers = text
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw BrokerProcessError(message: "callstream broker wrote no bootstrap address within 30 s")
    }

    /// Stops the broker (SIGTERM) and waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct BrokerProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
