import Foundation
public import Prometheus
import Synchronization

/// The worker's Prometheus metrics, in a registry of its own (several workers in one process, as in
/// tests, do not share counts). Hot-path counts live in ``WorkerCounters`` and are copied here by
/// ``publish(_:highWatermarks:nowMs:)`` when `/metrics` is scraped; commit latency and rebalances
/// are observed directly (they happen a few times a second at most).
public final class WorkerMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// Time a commit took, success or not.
    let commitDuration: DurationHistogram
    /// Commits the coordinator refused (e.g. during a rebalance).
    let commitFailures: Counter
    private let published = Mutex<Published>(Published())

    /// What was already copied into the registry: counter totals by key, gauges by partition.
    private struct Published {
        var totals: [String: Int] = [:]
        var partitionGauges: [Int32: [Gauge]] = [:]
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.descriptor("commit_duration", unit: "seconds", help: "Time an offset commit took (success or failure)"),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]
        )
        commitFailures = registry.makeCounter(descriptor: Self.descriptor("commit_failures", unit: "total", help: "Offset commits the group coordinator refused"))
    }

    /// Counts one rebalance callback (`assigned` or `revoked`).
    func recordRebalance(_ kind: String) {
        registry.makeCounter(
            descriptor: Self.descriptor("rebalances", unit: "total", help: "Partition assignments and revocations this worker went through"),
            labels: [("event", kind)]
        ).increment()
    }

    /// Copies `snapshot` into the registry. `highWatermarks` are the partitions' high watermarks
    /// (as last fetched); `nowMs` is the wall clock in epoch ms.
    public func publish(_ snapshot: WorkerMetricsSnapshot, highWatermarks: [Int32: Int64], nowMs: Int64) {
        published.withLock { published in
            let counters = snapshot.counters
            for (partition, count) in counters.consumedByPartition.enumerated() where count > 0 {
                add(&published, "events_consumed", help: "Events read from the raw events topic", labels: [("partition", String(partition))], total: count)
            }
            for (statusIndex, status) in WorkerCounters.statuses.enumerated() {
                for (revisionIndex, revision) in WorkerCounters.revisionLabels.enumerated() {
                    let count = counters.records[statusIndex * WorkerCounters.revisionLabels.count + revisionIndex]
                    guard count > 0 else { continue }
                    add(&published, "records_emitted", help: "Call records the broker acknowledged, by status and revision",
                        labels: [("status", status.rawValue), ("revision", revision)], total: count)
                }
            }
            add(&published, "duplicate_events", help: "Duplicate events reported by emitted records", labels: [], total: counters.duplicateEvents)
            add(&published, "out_of_order_events", help: "Out-of-order events reported by emitted records", labels: [], total: counters.outOfOrderEvents)
            for (reason, count) in counters.deadLettersByReason {
                add(&published, "dead_letters", help: "Events sent to the dead-letter topic, by reason", labels: [("reason", reason)], total: count)
            }
            gauge("outputs_outstanding", help: "Records and dead letters waiting for or awaiting the broker's acknowledgement", labels: [])
                .set(to: Double(snapshot.outstanding))
            gauge("partitions_assigned", help: "Partitions of the raw events topic assigned to this worker", labels: [])
                .set(to: Double(snapshot.partitions.count))
            publishPartitions(&published, snapshot.partitions, highWatermarks: highWatermarks, nowMs: nowMs)
        }
    }

    private func publishPartitions(_ published: inout Published, _ partitions: [WorkerMetricsSnapshot.Partition], highWatermarks: [Int32: Int64], nowMs: Int64) {
        let assigned = Set(partitions.map(\.partition))
        for (partition, gauges) in published.partitionGauges where !assigned.contains(partition) {
            gauges.forEach(registry.unregisterGauge)
            published.partitionGauges[partition] = nil
        }
        for entry in partitions {
            let labels = [("partition", String(entry.partition))]
            var gauges: [Gauge] = []
            let openCalls = gauge("open_calls", help: "Calls not yet emitted, per partition", labels: labels)
            openCalls.set(to: Double(entry.openCalls))
            gauges.append(openCalls)
            if let streamTimeMs = entry.streamTimeMs {
                let lag = gauge("stream_time_lag", unit: "seconds", help: "Wall clock minus the partition's stream time", labels: labels)
                lag.set(to: Double(nowMs - streamTimeMs) / 1000)
                gauges.append(lag)
            }
            if let high = highWatermarks[entry.partition], let base = entry.committed ?? entry.position {
                let lag = gauge("consumer_lag", unit: "messages", help: "High watermark minus the offset this worker committed (its read position before its first commit)", labels: labels)
                lag.set(to: Double(max(0, high - base)))
                gauges.append(lag)
            }
            published.partitionGauges[entry.partition] = gauges
        }
    }

    /// Brings the counter `name` with `labels` up to `total`.
    private func add(_ published: inout Published, _ name: String, help: String, labels: [(String, String)], total: Int) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let counter = registry.makeCounter(descriptor: Self.descriptor(name, unit: "total", help: help), labels: labels)
        let delta = total - published.totals[key, default: 0]
        guard delta > 0 else { return }
        counter.increment(by: Int64(delta))
        published.totals[key] = total
    }

    private func gauge(_ name: String, unit: String = "", help: String, labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, unit: unit, help: help), labels: labels)
    }

    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "callstream", subsystem: "worker", metricName: name, unitName: unit, helpText: help)
    }
}
