import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Intake
import Kafka
import NIOCore
import Testing
import Worker

/// The whole path: webhooks posted over HTTP to a live intake, assembled by a worker.
@Suite("Intake to worker on the embedded broker")
struct IntakeToWorkerTests {
    @Test func thousandCallsPostedThroughTheIntakeGiveExactlyTheAssemblersRecords() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 1000, startMs: epochNowMs() - 3_600_000)
            var intake = IntakeConfiguration()
            intake.host = "127.0.0.1"
            intake.port = 0
            intake.bootstrapServers = cluster.bootstrapServers
            intake.inbound.directoryFromTopic = false
            intake.shutdownTimeout = .seconds(5)
            let app = try buildIntake(configuration: intake, logger: testLogger("intake"))
            let deliveries = load.deliveries.map(\.raw)
            let accepted = try await app.test(.live) { client in
                // A few requests at a time: their order changes by at most a few deliveries,
                // well within the grace period.
                var accepted = 0
                var index = 0
                while index < deliveries.count {
                    let batch = deliveries[index..<min(index + 16, deliveries.count)]
                    accepted += try await withThrowingTaskGroup(of: Int.self) { group in
                        for body in batch {
                            group.addTask {
                                let response = try await client.execute(
                                    uri: "/webhooks/vox/call-events", method: .post,
                                    headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)
                                )
                                return response.status == .ok ? 1 : 0
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    index += batch.count
                }
                return accepted
            }
            #expect(accepted == deliveries.count, "every webhook acknowledged by the intake")

            let configuration = testWorkerConfiguration(cluster)
            let records = try await recordsOfAWorkerRun(cluster, configuration, calls: 1000)
            let byRevision = recordsByRevision(records)
            #expect(records.count == 1000, "exactly one record per call (\(deliveries.count) webhooks)")
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs))
            #expect(records.allSatisfy { $0.headers.string(for: WorkerHeader.status) == "completed" })
            let expected = try await expectedRecords(cluster, configuration)
            #expect(expected == byRevision.records, "byte-identical to the assembler's records for the same partitions")
        }
    }
}
