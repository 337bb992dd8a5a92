import CallStreamTesting
import Foundation
import Kafka
import PostgresNIO
import PostgresSink
import Sinks
import Synchronization
import Testing

@Suite("PostgreSQL sink against a throwaway server", .serialized)
struct PostgresSinkTests {
    /// `(call_id, revision)` of every row.
    private static func rows(_ server: ThrowawayPostgres) async throws -> [String: Int] {
        try await server.withClient { client in
            var rows: [String: Int] = [:]
            for try await (callID, revision) in try await client.query("SELECT call_id, revision FROM calls").decode((String, Int).self) {
                rows[callID] = revision
            }
            return rows
        }
    }

    @Test func recordsLandReplaysAddNoRowAndAHigherRevisionReplacesALowerOne() async throws {
        let server = try ThrowawayPostgres.start()
        defer { server.stop() }
        let configuration = try PostgresSinkConfiguration(url: server.url)
        let records = TestRecords.calls(20, prefix: "pg")
        let revised = TestRecords.record(callID: "pg-0003", revision: 2, transcript: [("agent", "Revised")], summary: "second look")

        try await SinkFeeder.feed(records, to: PostgresSink(configuration: configuration, logger: testLogger()), batchSize: 6)
        #expect(try await Self.rows(server) == Dictionary(uniqueKeysWithValues: records.map { ($0.callID, 1) }))

        // A replay of everything, twice, with revision 2 in the middle and revision 1 again after it.
        try await SinkFeeder.feed(records + [revised] + records, to: PostgresSink(configuration: configuration, logger: testLogger()), batchSize: 9, deliveries: 2)
        let rows = try await Self.rows(server)
        #expect(rows.count == 20)
        #expect(rows["pg-0003"] == 2)
        #expect(rows.filter { $0.value == 1 }.count == 19)

        let (transcript, migrations) = try await server.withClient { client in
            var transcript = ""
            for try await text in try await client.query("SELECT transcript::text FROM calls WHERE call_id = 'pg-0003'").decode(String.self) { transcript = text }
            var migrations: [Int] = []
            for try await version in try await client.query("SELECT version FROM callstream_schema_migrations").decode(Int.self) { migrations.append(version) }
            return (transcript, migrations)
        }
        #expect(transcript.contains("Revised"), "transcript is jsonb of revision 2: \(transcript)")
        #expect(migrations == [1])
    }

    @Test func aSinkProcessKilledMidStreamAndRestartedLeavesNoRowMissing() async throws {
        let server = try ThrowawayPostgres.start()
        defer { server.stop() }
        try await EmbeddedCallStream.run { stream in
            let records = TestRecords.calls(3000, prefix: "kill")
            // Records keep coming while the sink runs, so the kill lands mid-stream.
            let producing = Task {
                for start in stride(from: 0, to: records.count, by: 100) {
                    try await stream.publish(Array(records[start..<start + 100]))
                    try await Task.sleep(for: .milliseconds(40))
                }
            }
            let first = try Self.sinkProcess(stream, server)
            // The table appears once the process ran its migrations.
            #expect(await eventually { ((try? await Self.rows(server))?.count ?? 0) >= 300 })
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let atKill = try await Self.rows(server).count

            let second = try Self.sinkProcess(stream, server)
            defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
            try await producing.value
            #expect(try await eventually(timeout: .seconds(120)) { try await Self.rows(server).count == records.count })
            // SIGTERM: write what was read, commit, leave the group; bounded well within 10 s.
            let signalled = ContinuousClock.now
            second.terminate()
            #expect(await eventually(timeout: .seconds(15)) { !second.isRunning })
            #expect(ContinuousClock.now - signalled < .seconds(10))
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)
            #expect(atKill < records.count, "killed mid-stream (\(atKill) rows then)")
            #expect(try await Self.rows(server) == Dictionary(uniqueKeysWithValues: records.map { ($0.callID, 1) }))
        }
    }

    private static func sinkProcess(_ stream: EmbeddedCallStream, _ server: ThrowawayPostgres) throws -> Process {
        let process = Process()
        process.executableURL = executable("callstream-sink")
        process.currentDirectoryURL = packageRoot
        process.arguments = [
            "--sink", server.url, "--kafka-bootstrap-servers", stream.bootstrapServers, "--topics-records", stream.recordsTopic,
            "--sink-batch-size", "20", "--sink-session-timeout-ms", "6000", "--sink-heartbeat-interval-ms", "500", "--sink-metrics-port", "0", "--log-level", "error",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
