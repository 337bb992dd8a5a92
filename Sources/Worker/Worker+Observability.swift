import Foundation
import Kafka
import Logging
public import Observability

extension Worker {
    /// Copies the worker's counts and per-partition state into ``metrics`` (called per scrape).
    public func publishMetrics() {
        let snapshot = state.withLock { $0.metricsSnapshot }
        let consumer = clients.withLock { $0.consumer }
        var highWatermarks: [Int32: Int64] = [:]
        if let consumer {
            for partition in snapshot.partitions {
                highWatermarks[partition.partition] = consumer.cachedHighWatermark(topic: configuration.eventsTopic, partition: partition.partition)
            }
        }
        metrics.publish(snapshot, highWatermarks: highWatermarks, nowMs: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// `/healthz`: healthy while ``run()`` runs and has not been told to stop.
    public var health: HealthReport {
        if !running.load(ordering: .relaxed) { return HealthReport(problems: ["the worker is not running"]) }
        if aborted.load(ordering: .relaxed) { return HealthReport(problems: ["the worker is stopping"]) }
        return .healthy
    }

    /// One debug line per acknowledged record: where each call's record went. Only identifiers,
    /// never the record's content.
    func logRecords(_ batch: [Outbound], _ results: [Result<KafkaDeliveryReport, KafkaError>]) {
        for (output, result) in zip(batch, results) {
            guard let record = output.record, case .success(let report) = result else { continue }
            logger.debug("record emitted", metadata: [
                "call_id": "\(record.callID)", "revision": "\(record.revision)", "status": "\(record.record.status.rawValue)",
                "topic": "\(report.topic)", "partition": "\(report.partition)", "offset": "\(report.offset)",
                "source_partition": "\(record.record.source.partition)", "source_offset": "\(record.record.source.firstOffset)",
            ])
        }
    }
}
