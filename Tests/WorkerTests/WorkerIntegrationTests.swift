import CallAssembly
import CallEvents
import Foundation
import Kafka
import Synchronization
import Testing
import Worker

/// Epoch ms now, for test data (never inside the worker's decisions).
func epochNowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

/// Records by key, checking that every repeated (call_id, revision) is byte-identical to its first.
func recordsByRevision(_ messages: [KafkaMessage]) -> (records: [String: [UInt8]], mismatches: [String], repeats: Int) {
    var records: [String: [UInt8]] = [:]
    var mismatches: [String] = []
    var repeats = 0
    for message in messages {
        let key = "\(message.keyString ?? "")#\(message.headers.string(for: WorkerHeader.revision) ?? "?")"
        if let first = records[key] {
            repeats += 1
            if first != message.value {
                mismatches.append(key)
                if ProcessInfo.processInfo.environment["WORKER_TEST_DIFF"] != nil, mismatches.count == 1 {
                    print("FIRST  \(message.partition) \(String(decoding: first, as: UTF8.self))\nSECOND \(message.offset) \(message.valueString)")
                }
            }
        } else {
            records[key] = message.value
        }
    }
    return (records, mismatches, repeats)
}

/// Reads the whole raw topic and gives what a fresh assembler per partition emits for it.
func expectedRecords(_ cluster: EmbeddedKafkaCluster, _ configuration: WorkerConfiguration) async throws -> [String: [UInt8]] {
    let watermarks = try await highWatermarks(cluster, Topics.events)
    let total = Int(watermarks.values.reduce(0, +))
    let raw = try await readTopic(cluster, Topics.events, partitions: Topics.partitions) { $0.count >= total }
    #expect(raw.count == total, "the raw topic was read whole")
    return referenceRecords(raw, configuration: configuration.assembler)
}

/// Reads the whole records topic.
/// Runs a worker until `calls` calls have a record, stops it, and returns every record on the topic.
func recordsOfAWorkerRun(_ cluster: EmbeddedKafkaCluster, _ configuration: WorkerConfiguration, calls: Int) async throws -> [KafkaMessage] {
    let worker = RunningWorker(configuration)
    _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(240)) {
        Set($0.compactMap(\.keyString)).count >= calls
    }
    try await worker.stop()
    return try await allRecords(cluster)
}

func allRecords(_ cluster: some KafkaBroker) async throws -> [KafkaMessage] {
    let total = Int(try await highWatermarks(cluster, Topics.records).values.reduce(0, +))
    return try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { $0.count >= total }
}

/// Produces `messages` in chunks with pauses, so that workers see a stream rather than a backlog.
func produceStreaming(_ cluster: some KafkaBroker, _ messages: [KafkaProducerMessage], chunk: Int = 300) async throws {
    var index = 0
    while index < messages.count {
        try await produceAll(cluster, Array(messages[index..<min(index + chunk, messages.count)]))
        index += chunk
    }
}

@Suite("Worker on the embedded broker", .serialized)
struct WorkerIntegrationTests {
    @Test func thousandShuffledCallsWithDuplicatesGiveExactlyTheAssemblersRecords() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 1000, startMs: epochNowMs() - 3_600_000)
            try await produceAll(cluster, load.messages(topic: Topics.events))
            let configuration = testWorkerConfiguration(cluster)
            let records = try await recordsOfAWorkerRun(cluster, configuration, calls: 1000)
            let byRevision = recordsByRevision(records)
            #expect(records.count == 1000, "exactly one record per call (\(load.deliveries.count) deliveries)")
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs))
            #expect(records.allSatisfy { $0.headers.string(for: WorkerHeader.status) == "completed" && $0.headers.string(for: WorkerHeader.revision) == "1" })
            #expect(byRevision.mismatches.isEmpty)
            let expected = try await expectedRecords(cluster, configuration)
            #expect(expected.count == byRevision.records.count)
            #expect(expected == byRevision.records, "byte-identical to the assembler's records for the same partitions")
        }
    }

    @Test func aPoisonEventGoesToTheDeadLetterTopicAndItsNeighboursFlow() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 24, startMs: epochNowMs() - 3_600_000, duplicateEvery: 1_000)
            var messages = load.messages(topic: Topics.events)
            // Same key as a real call, so the poison sits in the middle of a live partition.
            let victim = load.callIDs[3]
            let poison = KafkaProducerMessage(
                topic: Topics.events, key: Array(victim.utf8), value: Array(#"{"event":"call_ended","call":{"no_call_id":true}"#.utf8),
                headers: [KafkaHeader(key: "event", string: "call_ended"), KafkaHeader(key: "received-at-ms", string: "1")]
            )
            messages.insert(poison, at: messages.count / 2)
            // An inbound audit copy is skipped, not dead-lettered.
            messages.insert(KafkaProducerMessage(
                topic: Topics.events, key: nil, value: Array(#"{"event":"call_inbound","call_inbound":{"from_number":"+1"}}"#.utf8),
                headers: [KafkaHeader(key: "event", string: "call_inbound")], partition: 0
            ), at: messages.count / 3)
            try await produceAll(cluster, messages)

            let configuration = testWorkerConfiguration(cluster)
            let worker = RunningWorker(configuration)
            let dead = try await readTopic(cluster, Topics.dlq, partitions: 3) { !$0.isEmpty }
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { Set($0.compactMap(\.keyString)).count >= 24 }
            try await worker.stop()

            #expect(dead.count == 1)
            let letter = try #require(dead.first)
            #expect(letter.value == poison.value)
            #expect(letter.keyString == victim)
            #expect(letter.headers.string(for: WorkerHeader.deadLetterReason) == "notJSON")
            #expect(letter.headers.string(for: "received-at-ms") == "1", "original headers kept")
            #expect(letter.headers.string(for: WorkerHeader.sourceTopic) == Topics.events)
            #expect(letter.headers.string(for: WorkerHeader.sourcePartition) != nil)
            #expect(letter.headers.string(for: WorkerHeader.sourceOffset).flatMap(Int64.init) != nil)
            let records = try await allRecords(cluster)
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs), "every call emitted, the poison's neighbours too")
            #expect(records.count == 24)
        }
    }

    /// A call that just ended, in a partition nothing else is written to: its record leaves once
    /// the grace period has passed in wall time (a tick at its deadline), not after the quiet timer.
    @Test func aCallThatJustEndedIsEmittedAtItsDeadlineInAQuietPartition() async throws {
        try await withWorkerCluster { cluster in
            var configuration = testWorkerConfiguration(cluster)
            configuration.tickAfter = .seconds(3_600)  // the quiet timer never fires here
            configuration.assembler.gracePeriod = .seconds(1)
            let worker = RunningWorker(configuration)
            let callID = "deadline-tick-1"
            let agent = #""agent_id":"a","call_id":"\#(callID)""#
            let endMs = epochNowMs()
            try await produceAll(cluster, [
                #"{"event":"call_started","call":{\#(agent),"call_type":"inbound","start_timestamp":\#(endMs - 2_000)}}"#,
                #"{"event":"call_ended","call":{\#(agent),"call_type":"inbound","start_timestamp":\#(endMs - 2_000),"end_timestamp":\#(endMs),"disconnection_reason":"user_hangup"}}"#,
            ].map { KafkaProducerMessage(topic: Topics.events, key: Array(callID.utf8), value: Array($0.utf8)) })
            let records = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(60)) { !$0.isEmpty }
            try await worker.stop()
            #expect(records.map(\.keyString) == [callID], "emitted with no other event and before the quiet timer")
            let events = try await readTopic(cluster, Topics.events, partitions: Topics.partitions, timeout: .seconds(10)) { $0.count >= 3 }
            #expect(events.contains { String(decoding: $0.value, as: UTF8.self).contains(#""event":"callstream_tick""#) }, "a tick moved stream time")
        }
    }

    @Test func aWorkerKilledMidStreamLosesNoCallAndRepeatsOnlyIdenticalRecords() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 400, eventsPerCall: 12, startMs: epochNowMs() - 3_600_000, spacingMs: 200)
            let configuration = testWorkerConfiguration(cluster)
            let producing = Task { try await produceStreaming(cluster, load.messages(topic: Topics.events)) }
            let first = RunningWorker(configuration, label: "worker-1")
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { $0.count >= 60 }
            await first.kill()
            let second = RunningWorker(configuration, label: "worker-2")
            try await producing.value
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(180)) {
                Set($0.compactMap(\.keyString)).count >= 400
            }
            try await second.stop()

            let records = try await allRecords(cluster)
            let byRevision = recordsByRevision(records)
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs), "no call lost")
            #expect(byRevision.mismatches.isEmpty, "every repeated record byte-identical to its first")
            let expected = try await expectedRecords(cluster, configuration)
            #expect(expected == byRevision.records)
        }
    }

    @Test func whenOneOfTwoWorkersLeavesMidStreamEveryCallIsEmitted() async throws {
        try await withWorkerCluster { cluster in
            let load = try CallLoad(calls: 400, eventsPerCall: 12, startMs: epochNowMs() - 3_600_000, spacingMs: 200)
            let configuration = testWorkerConfiguration(cluster)
            let first = RunningWorker(configuration, label: "worker-1")
            let second = RunningWorker(configuration, label: "worker-2")
            // Both members before the stream starts, so the group splits the partitions.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, first.worker.assignedPartitions.isEmpty || second.worker.assignedPartitions.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!first.worker.assignedPartitions.isEmpty && !second.worker.assignedPartitions.isEmpty)
            let producing = Task { try await produceStreaming(cluster, load.messages(topic: Topics.events)) }
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) { $0.count >= 60 }
            try await second.stop()
            try await producing.value
            _ = try await readTopic(cluster, Topics.records, partitions: Topics.partitions, timeout: .seconds(180)) {
                Set($0.compactMap(\.keyString)).count >= 400
            }
            try await first.stop()

            let records = try await allRecords(cluster)
            let byRevision = recordsByRevision(records)
            #expect(Set(records.compactMap(\.keyString)) == Set(load.callIDs), "every call emitted")
            #expect(byRevision.mismatches.isEmpty)
            let expected = try await expectedRecords(cluster, configuration)
            #expect(expected == byRevision.records)
        }
    }
}
