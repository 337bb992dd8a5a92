import ArgumentParser
import CallAssembly
import CallEvents
import Foundation
import Kafka
import Logging

/// `callstream demo`: the sample calls through the embedded broker and the call assembler.
///
/// Until the intake and worker exist this is a produce/consume round trip: every sample webhook is
/// produced to the raw topic keyed by call_id, read back per partition, assembled into records,
/// and the records produced to the records topic and read back from it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the sample calls through an embedded broker and print the completed records."
    )

    @Option(help: "Folder of sample calls (one JSONL file per call).")
    var samples: String = "config/samples"

    @Option(help: "Partitions of the demo's raw-events topic.")
    var partitions: Int32 = 3

    func run() async throws {
        var logger = Logger(label: "callstream.demo")
        logger.logLevel = .error
        let bodies = try SampleCalls.load(from: samples)
        let cluster = try EmbeddedKafkaCluster(logger: logger)
        defer { print("") }
        do {
            try await DemoPipeline(cluster: cluster, partitions: partitions, logger: logger).run(bodies: bodies)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }
}

/// Reads the sample webhooks: every line of every `*.jsonl` file, calls in the order they started
/// (as the platform would send them), each call's lines in file order.
enum SampleCalls {
    static func load(from folder: String) throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
        guard !names.isEmpty else { throw ValidationError("no *.jsonl sample calls in \(folder)") }
        let calls = try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
            return data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
        }
        func startTime(_ call: [[UInt8]]) -> Int64 {
            call.compactMap { try? CallEvent(decoding: $0).eventTimeMs }.min() ?? .max
        }
        return calls.map { (startTime($0), $0) }.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}
