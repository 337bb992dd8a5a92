import CallAssembly
import Foundation
import Kafka
import Worker

/// The worker's own work without a broker: the worker bench's events, decoded as the worker's
/// polling thread decodes them and assembled by ``WorkerState`` on one thread, every output acknowledged at once.
/// The CPU cost of the loop, and a steady target for `valgrind --tool=callgrind`.
struct WorkerLoopBench {
    let calls: Int
    let partitions: Int32 = 12

    /// Events per second of the feeding thread's CPU time (best of `rounds`: steady while other
    /// processes share the cores) and the records emitted.
    func run(rounds: Int = 3) -> (rate: Double, records: Int) {
        let messages = consumed()
        var best = 0.0
        var records = 0
        for _ in 0..<rounds {
            let started = Self.threadCPUSeconds()
            records = feed(messages)
            best = max(best, Double(messages.count) / (Self.threadCPUSeconds() - started))
        }
        return (best, records)
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The preloaded messages as a consumer reads them: spread over the partitions by key, each
    /// partition's in offset order, partitions interleaved in runs of 100.
    func consumed() -> [KafkaMessage] {
        var byPartition = [[KafkaMessage]](repeating: [], count: Int(partitions))
        for message in WorkerBench.messages(calls: calls, topic: "bench.loop", partitions: partitions) {
            let partition = message.partition ?? Int32(truncatingIfNeeded: Self.hash(message.key ?? []) % UInt64(partitions))
            let offset = Int64(byPartition[Int(partition)].count)
            byPartition[Int(partition)].append(KafkaMessage(
                topic: message.topic, partition: partition, offset: offset, key: message.key, value: message.value, headers: message.headers
            ))
        }
        var messages: [KafkaMessage] = []
        var next = [Int](repeating: 0, count: Int(partitions))
        while messages.count < byPartition.reduce(0, { $0 + $1.count }) {
            for partition in 0..<Int(partitions) {
                let run = byPartition[partition][next[partition]..<min(byPartition[partition].count, next[partition] + 100)]
                messages += run
                next[partition] += run.count
            }
        }
        return messages
    }

    /// Heap growth (bytes in use) per 10,000 open calls: `calls` concurrent calls of 20 `mid_call`
    /// events (60 B of Korean text each) fed to one worker state, as the consumer hands them over;
    /// no call ends.
    func openCallMemory() -> Double {
        let workload = AssemblerWorkload(calls: calls, eventsPerCall: 20, contentBytes: 60)
        let before = heapBytesInUse()
        var configuration = WorkerConfiguration()
        configuration.eventsTopic = "bench.loop"
        var state = WorkerState(configuration: configuration)
        for (offset, event) in workload.events.enumerated() {
            // A fresh copy of the bytes, as the consumer hands over: what the state keeps counts.
            let message = KafkaMessage(topic: "bench.loop", partition: 0, offset: Int64(offset), key: nil, value: Array(event))
            state.receive(message, decoded: WorkerState.decode(message), nowMs: 0)
        }
        let open = state.partitions.values.reduce(0) { $0 + $1.assembler.openCallCount }
        precondition(open == calls, "every call stays open")
        // The workload's own bytes are not the state's: kept alive until measured.
        return withExtendedLifetime((state, workload)) { Double(heapBytesInUse() - before) / Double(open) * 10_000 }
    }

    /// Feeds `messages` in batches of 1,000 and acknowledges every output; returns the records.
    func feed(_ messages: [KafkaMessage]) -> Int {
        var configuration = WorkerConfiguration()
        configuration.eventsTopic = "bench.loop"
        var state = WorkerState(configuration: configuration)
        var records = 0
        var start = 0
        while start < messages.count {
            let batch = messages[start..<min(messages.count, start + 1000)]
            for message in batch {
                // As the worker's polling thread decodes: a keyed event in place, without its headers.
                let decoded = message.key == nil ? WorkerState.decode(message) : message.value.withUnsafeBytes(WorkerState.decodeInPlace)
                state.receive(message, decoded: decoded, nowMs: 0)
            }
            let outputs = state.takePending()
            records += state.settle(outputs, acknowledged: [Bool](repeating: true, count: outputs.count)).filter { $0.record != nil }.count
            start += batch.count
        }
        return records
    }

    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }
}
