public import Sinks

/// Feeds records or events straight to a sink, without a broker: for unit tests of a sink.
public enum SinkFeeder {
    /// Starts `sink`, writes `records` in batches of `batchSize`, `deliveries` times over (as
    /// at-least-once delivery and replays would), then shuts it down.
    public static func feed(_ records: [SinkRecord], to sink: any RecordSink, batchSize: Int = 100, deliveries: Int = 1) async throws {
        try await sink.start()
        for _ in 0..<deliveries {
            for start in stride(from: 0, to: records.count, by: batchSize) {
                try await sink.write(Array(records[start..<min(start + batchSize, records.count)]))
            }
        }
        try await sink.shutdown()
    }

    /// Starts `sink`, hands it each raw webhook body that decodes to a call's event (in order,
    /// one per batch, as live traffic comes), then leaves it running: call `shutdown()` yourself.
    public static func feed(events raw: [[UInt8]], to sink: any LiveEventSink, start: Bool = true) async throws {
        if start { try await sink.start() }
        for body in raw {
            if let event = LiveEvent(raw: body) { try await sink.receive([event]) }
        }
    }
}
