extension WorkerState {
    /// What the metrics endpoint publishes, copied under the lock at scrape time.
    public var metricsSnapshot: WorkerMetricsSnapshot {
        WorkerMetricsSnapshot(
            counters: counters, outstanding: outstanding,
            partitions: partitions.values.map {
                WorkerMetricsSnapshot.Partition(
                    partition: $0.partition, openCalls: $0.assembler.openCallCount, streamTimeMs: $0.assembler.streamTimeMs,
                    committed: $0.committed, position: $0.position
                )
            }.sorted { $0.partition < $1.partition }
        )
    }
}
