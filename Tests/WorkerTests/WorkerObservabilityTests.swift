import CallEvents
import Foundation
import Kafka
import Testing
import Worker
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `callstream-worker` as a process: its `/metrics` and `/healthz` after the sample calls, and its
/// logs (debug level, JSON lines) free of transcript text and phone numbers.
@Suite("callstream-worker metrics and logs on the embedded broker", .serialized)
struct WorkerObservabilityTests {
    /// The sample calls' raw webhooks, keyed by call_id.
    private static func sampleMessages() throws -> [KafkaProducerMessage] {
        try CallLoad.samples().flatMap { call in
            try call.map { raw in
                KafkaProducerMessage(topic: Topics.events, key: Array((try CallEvent(decoding: raw).callID ?? "").utf8), value: raw)
            }
        }
    }

    /// Strings from the samples that must never be logged: message and transcript text, phone
    /// numbers, dynamic variables (the opted-out call's account number among them).
    private static func sensitiveStrings() throws -> Set<String> {
        let sensitiveKeys: Set<String> = ["content", "transcript", "from_number", "to_number", "call_from", "call_to", "dynamic_variables", "recording_url"]
        var found: Set<String> = []
        func walk(_ value: Any, sensitive: Bool) {
            switch value {
            case let object as [String: Any]:
                for (key, member) in object { walk(member, sensitive: sensitive || sensitiveKeys.contains(key)) }
            case let array as [Any]:
                for member in array { walk(member, sensitive: sensitive) }
            case let text as String where sensitive && text.count >= 4:
                found.insert(text)
            default:
                break
            }
        }
        for raw in try CallLoad.samples().joined() { walk(try JSONSerialization.jsonObject(with: Data(raw)), sensitive: false) }
        return found
    }

    /// Sums the samples of `metric` in a Prometheus text page, by its label set.
    private static func samples(_ page: String, _ metric: String) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for line in page.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + " ") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[parts.count - 1]) else { continue }
            let labels = String(parts[0].dropFirst(metric.count))
            result[labels, default: 0] += Int64(value)
        }
        return result
    }

    private static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func metricsShowExactCountsAndLogsHoldNoTranscriptOrPhoneNumber() async throws {
        try await withWorkerCluster { cluster in
            let messages = try Self.sampleMessages()
            let callIDs = Set(messages.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } })
            // One undecodable event: a dead letter, logged with the call_id of its key.
            let poison = KafkaProducerMessage(topic: Topics.events, key: Array("poison-call".utf8), value: Array(#"{"event":"#.utf8))
            try await produceAll(cluster, messages + [poison])

            let logs = ProcessOutput()
            let process = try startWorkerProcess(cluster, lateEventWindowMs: 0, logLevel: "debug", logs: logs, arguments: ["--log-format", "json"])
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            var port: Int?
            for _ in 0..<200 where port == nil {
                try await Task.sleep(for: .milliseconds(50))
                port = logs.text.split(separator: "\n").first { $0.contains(#""msg":"metrics server listening""#) }
                    .flatMap { $0.firstMatch(of: /"port":"(\d+)"/).flatMap { Int($0.1) } }
            }
            let metricsPort = try #require(port, "no metrics port in the logs: \(logs.text.prefix(2000))")
            let starting = logs.text.split(separator: "\n").first { $0.contains(#""msg":"worker starting""#) }
            #expect(starting?.contains(#""allocator":"jemalloc""#) == true, "the executable links jemalloc (Package.swift): \(starting ?? "no start line")")
            #expect(try await Self.get(metricsPort, "/healthz") == (200, #"{"status":"ok"}"#))

            let records = try await readTopic(cluster, Topics.records, partitions: Topics.partitions) {
                Set($0.compactMap(\.keyString)) == callIDs
            }
            #expect(Set(records.compactMap(\.keyString)) == callIDs)
            // Records by status and revision, as the records topic holds them.
            var expectedRecords: [String: Int64] = [:]
            for record in records {
                let status = record.headers.string(for: WorkerHeader.status) ?? "?"
                let number = Int(record.headers.string(for: WorkerHeader.revision) ?? "") ?? 0
                let revision = number >= 4 ? "4+" : String(number)
                expectedRecords[#"{status="\#(status)",revision="\#(revision)"}"#, default: 0] += 1
            }

            // Every event read (ticks included) is in the events topic: once caught up, equal.
            var page = ""
            var consumed: Int64 = -1
            var eventsEnd: Int64 = 0
            for _ in 0..<100 {
                eventsEnd = try await highWatermarks(cluster, Topics.events).values.reduce(0, +)
                page = try await Self.get(metricsPort, "/metrics").body
                consumed = Self.samples(page, "callstream_worker_events_consumed_total").values.reduce(0, +)
                if consumed == eventsEnd, Self.samples(page, "callstream_worker_records_emitted_total") == expectedRecords { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(consumed == eventsEnd)
            #expect(eventsEnd >= Int64(messages.count + 1))
            #expect(Self.samples(page, "callstream_worker_dead_letters_total").values.reduce(0, +) == 1)
            #expect(Self.samples(page, "callstream_worker_records_emitted_total") == expectedRecords)
            #expect(Self.samples(page, "callstream_worker_records_emitted_total").values.reduce(0, +) == Int64(records.count))
            #expect(page.contains("callstream_worker_open_calls{partition="))
            #expect(page.contains("callstream_worker_consumer_lag_messages{partition="))
            #expect(page.contains("callstream_worker_commit_duration_seconds_count"))

            process.terminate()
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            logs.waitForEnd()
            let text = logs.text
            // The run logged about each call (by call_id) ...
            for callID in callIDs { #expect(text.contains(#""call_id":"\#(callID)""#), "no line about \(callID)") }
            #expect(text.split(separator: "\n").contains { $0.contains(#""msg":"dead letter""#) && $0.contains(#""call_id":"poison-call""#) })
            // ... and never its words or numbers.
            let sensitive = try Self.sensitiveStrings()
            #expect(sensitive.contains { $0.contains("4111 1111") })
            for secret in sensitive { #expect(!text.contains(secret), "the logs hold \(secret.prefix(40))") }
        }
    }

    /// A metrics port already in use ends the worker at start: exit status 1 and a one-line error
    /// naming the problem, not Swift's crash report.
    @Test func aMetricsPortInUseEndsTheWorkerWithAClearError() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        try #require(listening)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let (status, _, text) = try await runToEnd(
            packageRoot.appendingPathComponent(".build/debug/callstream-worker"),
            ["--kafka-bootstrap-servers", "127.0.0.1:1", "--worker-metrics-host", "127.0.0.1", "--worker-metrics-port", "\(port)"]
        )
        #expect(status == 1)
        #expect(text.contains("callstream-worker: error:") && text.contains("Address already in use"), "\(text)")
        #expect(!text.contains("Fatal error"), "\(text)")
    }
}
