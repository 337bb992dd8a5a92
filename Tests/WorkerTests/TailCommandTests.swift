import Foundation
import Kafka
import Testing
import ProcessTestSupport

/// `callstream tail` as a process against an embedded broker in the test process.
@Suite("callstream tail process on the embedded broker")
struct TailCommandTests {
    @Test func tailPrintsTheDeadLetterTopicFromTheBeginning() async throws {
        try await withWorkerCluster { cluster in
            try await produceAll(cluster, (0..<3).map {
                KafkaProducerMessage(topic: Topics.dlq, key: "k\($0)", value: "poison-\($0)", headers: [KafkaHeader(key: "dlq-reason", string: "notJSON")])
            })
            let process = Process()
            process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream")
            process.arguments = ["tail", "dlq", "--bootstrap-servers", cluster.bootstrapServers, "--from-beginning", "--limit", "3"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: await output.fileHandleForReading.dataToEnd(), as: UTF8.self)
            await process.exited()
            #expect(process.terminationStatus == 0)
            for index in 0..<3 {
                #expect(text.contains("key=k\(index) dlq-reason=notJSON") && text.contains("poison-\(index)"))
            }
        }
    }
}
