import CallAssembly
import CallEvents
import Foundation
import Intake
import Kafka
import Logging
import Synchronization
import Worker

/// A worker replaying a preloaded raw topic (complete calls, so it assembles and produces records)
/// next to kcat consuming the same topic, on one embedded broker.
struct WorkerBench {
    let cluster: EmbeddedKafkaCluster
    let calls: Int
    let logger: Logger
    let partitions: Int32 = 12

    /// The preloaded raw topic; the replays' records go to `recordsTopic`.
    let topic = "bench.worker.events"
    let recordsTopic = "bench.worker.records"
    /// Each preloaded call: 20 `mid_call` events and a `call_ended`.
    static let eventsPerRecord = 21

    func run() async throws -> [BenchResult] {
        let total = try await prepare()

        // Three rounds of kcat then the worker (a new group each time); medians.
        var kcatRates: [Double] = []
        var kcatPrintingRates: [Double] = []
        var workerRates: [Double] = []
        var kcatCPU: [Double] = []
        var workerCPU: [Double] = []
        for round in 0..<3 {
            let kcat = try kcatRun(total: total)
            kcatRates.append(kcat.rate)
            kcatCPU.append(kcat.cpuPerMessage)
            kcatPrintingRates.append(try kcatRate(total: total, printing: .messages))
            let worker = try await replayProcess(total: total, round: round)
            workerRates.append(worker.rate)
            workerCPU.append(worker.cpuPerMessage)
        }
        let kcatRate = median(kcatRates)
        let kcatPrintingRate = median(kcatPrintingRates)
        let workerRate = median(workerRates)
        let name = "worker (`callstream replay`, a process of its own), events assembled from a preloaded topic (\(calls) calls, \(total) events with the intake's six headers, records produced; median of 3)"
        let loop = WorkerLoopBench(calls: calls).run()
        let memory = WorkerLoopBench(calls: 10_000).openCallMemory()
        return [
            BenchResult(name: name, value: workerRate, unit: "events/s", reference: kcatRate, referenceName: "kcat consuming the same topic",
                        target: "≥ 0.5× kcat (worker issue)", met: workerRate >= 0.5 * kcatRate),
            BenchResult(name: name, value: workerRate, unit: "events/s", reference: kcatRate, referenceName: "kcat consuming the same topic",
                        target: "≥ 0.7× kcat (benchmarks issue)", met: workerRate >= 0.7 * kcatRate),
            BenchResult(name: "worker, the same replays, next to kcat printing each message (its default output) instead of its offset", value: workerRate, unit: "events/s",
                        reference: kcatPrintingRate, referenceName: "kcat printing the messages"),
            BenchResult(name: "CPU per event, the reader's process and the embedded broker together: the worker's replay from its first record to its last next to kcat writing offsets (its whole run; median of 3)",
                        value: median(workerCPU) * 1_000_000, unit: "µs", reference: median(kcatCPU) * 1_000_000, referenceName: "kcat"),
            BenchResult(name: "worker loop without a broker (decode, assemble, encode records; one thread, per CPU second)",
                        value: loop.rate, unit: "events/s"),
            BenchResult(name: "worker state: memory per 10,000 open calls of 20 messages (text included)", value: memory, unit: "B",
                        target: "≤ 8 KB per call (81920000)", met: memory <= 8192 * 10_000),
        ]
    }

    /// Creates the topics and preloads the raw one; returns how many messages it holds.
    func prepare() async throws -> Int {
        try cluster.createTopic(topic, partitions: partitions)
        try cluster.createTopic(recordsTopic, partitions: partitions)
        return try await preload()
    }

    /// What kcat writes for each message it reads.
    enum KcatOutput {
        /// Its offset (`-f '%o\n'`): kcat reads and does next to nothing else.
        case offsets
        /// The message's value and a newline: kcat's default output.
        case messages

        var formatArgument: String {
            switch self {
            case .offsets: "-f '%o\\n'"
            case .messages: ""
            }
        }
    }

    /// kcat reading the preloaded topic (`total` messages) from the beginning, process start
    /// included; messages per second.
    func kcatRate(total: Int, printing: KcatOutput = .offsets) throws -> Double {
        try kcatRun(total: total, printing: printing).rate
    }

    /// ``kcatRate(total:printing:)`` with the CPU time per message of kcat (its shell and `wc`
    /// included) and of this process (the embedded broker serving it) together, in seconds.
    func kcatRun(total: Int, printing: KcatOutput = .offsets) throws -> (rate: Double, cpuPerMessage: Double) {
        let cpuBefore = processCPUSeconds() + childrenCPUSeconds()
        let started = ContinuousClock.now
        let output = try shell("sh", "-c", "kcat -C -X fetch.wait.max.ms=50 -b \(cluster.bootstrapServers) -t \(topic) -o beginning -c \(total) -q \(printing.formatArgument) | wc -l")
        let rate = Double(total) / (ContinuousClock.now - started).seconds
        let cpu = processCPUSeconds() + childrenCPUSeconds() - cpuBefore
        guard Int(output) == total else { throw BenchFailure(message: "kcat read \(output) of \(total) events") }
        return (rate, cpu / Double(total))
    }

    /// Calls one after another in time (20 `mid_call` events and a `call_ended` each, keyed by
    /// call id), so that records come out all through the replay; then a tick per partition that
    /// moves stream time past every wait. Returns how many messages the topic holds.
    private func preload() async throws -> Int {
        let messages = Self.messages(calls: calls, topic: topic, partitions: partitions)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        producerConfiguration.maximumQueuedMessages = max(100_000, messages.count)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let runner = Task { try await producer.run() }
        for result in await producer.send(messages) { _ = try result.get() }
        producer.triggerGracefulShutdown()
        try await runner.value
        return messages.count
    }

    /// The preloaded messages: see ``preload()``.
    static func messages(calls: Int, topic: String, partitions: Int32) -> [KafkaProducerMessage] {
        let events = AssemblerWorkload.completedCalls(calls)
        var messages: [KafkaProducerMessage] = []
        messages.reserveCapacity(events.count + Int(partitions))
        let endedPrefix = Array(#"{"event":"call_ended""#.utf8)
        for event in events {
            if let callID = event.callID {
                messages.append(KafkaProducerMessage(topic: topic, key: Array(callID.utf8), value: event.body, headers: intakeHeaders(ended: event.body.starts(with: endedPrefix))))
            } else {
                // The tick, on every partition.
                for partition in 0..<partitions { messages.append(KafkaProducerMessage(topic: topic, key: nil, value: event.body, partition: partition)) }
            }
        }
        return messages
    }

    /// The headers the intake writes on each event (`IntakeHeader`), so the worker reads what it
    /// reads in production.
    static func intakeHeaders(ended: Bool) -> KafkaHeaders {
        [
            KafkaHeader(key: IntakeHeader.event, string: ended ? "call_ended" : "mid_call"),
            KafkaHeader(key: IntakeHeader.webhookVersion, string: "v2"),
            KafkaHeader(key: IntakeHeader.receivedAt, string: "1775980203000"),
            KafkaHeader(key: IntakeHeader.bodySHA256, string: String(repeating: "ab", count: 32)),
            KafkaHeader(key: IntakeHeader.requestID, string: "c2a6e0d4b1f84f0e9d3b7a51e2c9f604"),
            KafkaHeader(key: IntakeHeader.signatureVerified, string: "true"),
        ]
    }

    /// `callstream replay` (built beside this binary, linked with jemalloc as `callstream-worker` is)
    /// reading the preloaded topic into a records topic of its own, in a process of its own, as kcat
    /// reads it: the embedded broker here serves both the same way, whatever allocator the worker
    /// links. Events per second between its first record and its last (their timestamps, taken by
    /// its producer as it sent them: the steady state, without the group join or the shutdown), and
    /// the CPU per event over that time of its process and this one (the broker). Throws unless
    /// every call got its record.
    func replayProcess(total: Int, round: Int, binary: String = replayBinary) async throws -> (rate: Double, cpuPerMessage: Double) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure(message: "\(binary) is missing: swift build -c release --product callstream")
        }
        let records = "\(recordsTopic).\(round)"
        try cluster.createTopic(records, partitions: partitions)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["replay", "--bootstrap-servers", cluster.bootstrapServers, "--events-topic", topic, "--from", "earliest",
                             "--group", "bench-worker-\(round)", "--records-topic", records, "--dlq-topic", "bench.worker.dlq"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // CPU of both processes every 5 ms while it runs, to read it off at the first and last record.
        var samples: [CPUSample] = []
        while process.isRunning {
            samples.append(CPUSample(atMs: Int64(Date().timeIntervalSince1970 * 1000), seconds: processCPUSeconds() + cpuSeconds(ofProcess: process.processIdentifier)))
            try await Task.sleep(for: .milliseconds(5))
        }
        guard process.terminationStatus == 0 else { throw BenchFailure(message: "callstream replay exited with \(process.terminationStatus)") }
        let times = try await timestamps(records, count: calls).sorted()
        guard times.count == calls, let first = times.first, let last = times.last, last > first,
              let from = samples.last(where: { $0.atMs <= first }), let to = samples.first(where: { $0.atMs >= last }) else {
            throw BenchFailure(message: "the replay wrote \(times.count) records for \(calls) calls")
        }
        let events = Double((times.count - 1) * Self.eventsPerRecord)
        return (events * 1000 / Double(last - first), (to.seconds - from.seconds) / events)
    }

    /// The `callstream` built beside this bench.
    static var replayBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("callstream").path
    }

    /// `rounds` replays in processes of their own, alternating between `binaries` (to compare
    /// builds on a machine whose speed drifts), each printed with the CPU its whole run took per
    /// event and its page faults; then each binary's medians.
    func profileProcesses(binaries: [String], rounds: Int) async throws {
        let total = try await prepare()
        var runs: [(binary: String, rate: Double, cpuPerEvent: Double)] = []
        for round in 0..<rounds {
            let binary = binaries[round % binaries.count]
            let before = childrenUsage()
            let (rate, _) = try await replayProcess(total: total, round: round, binary: binary)
            let after = childrenUsage()
            let cpuPerEvent = (after.cpuSeconds - before.cpuSeconds) / Double(total)
            runs.append((binary, rate, cpuPerEvent))
            print("replay \(round) (\(binary)): \(Int(rate)) events/s; its whole run \(Self.microseconds(cpuPerEvent)) µs of CPU per event, "
                  + "\(after.minorFaults - before.minorFaults) page faults")
        }
        for binary in binaries {
            let mine = runs.filter { $0.binary == binary }
            print("\(binary): median \(Int(median(mine.map(\.rate)))) events/s, \(Self.microseconds(median(mine.map(\.cpuPerEvent)))) µs of CPU per event")
        }
    }

    private static func microseconds(_ seconds: Double) -> String {
        String(format: "%.2f", seconds * 1_000_000)
    }

    private struct CPUSample {
        let atMs: Int64
        let seconds: Double
    }

    /// The timestamps of the first `count` messages of `topic`, read from the beginning.
    private func timestamps(_ topic: String, count: Int) async throws -> [Int64] {
        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            subscription: .partitions((0..<partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let runner = Task { try await consumer.run() }
        let reading = Task {
            var times: [Int64] = []
            for await event in consumer.events {
                guard case .message(let message) = event else { continue }
                times.append(message.timestampMilliseconds ?? 0)
                if times.count == count { break }
            }
            return times
        }
        // Bounded: a replay that wrote fewer records must fail, not hang.
        let deadline = Task {
            try await Task.sleep(for: .seconds(30))
            consumer.triggerGracefulShutdown()
        }
        let read = await reading.value
        deadline.cancel()
        consumer.triggerGracefulShutdown()
        try await runner.value
        return read
    }

    /// In this process (for `--profile-worker`, whose profiler sees only this process): events
    /// per second between the first record and the last (21 events a call): the steady
    /// state, without the group join (kcat joins none) or the worker's shutdown; and the process's
    /// CPU seconds per second over that time. Throws unless every call got its record.
    func replay(group: String) async throws -> (rate: Double, busyCores: Double) {
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        let metadata = try await admin.metadata(topics: [topic])
        await admin.shutdown()
        let ends = Dictionary(uniqueKeysWithValues: (metadata.topic(topic)?.partitions ?? []).map { ($0.id, $0.highWatermark) })
        var configuration = WorkerConfiguration()
        configuration.bootstrapServers = cluster.bootstrapServers
        configuration.eventsTopic = topic
        configuration.recordsTopic = recordsTopic
        configuration.groupID = group
        configuration.replay = ReplayPlan(start: .earliest, endOffsets: ends, lowOffsets: ends.mapValues { _ in 0 })
        let records = RecordTimes()
        let worker = Worker(configuration: configuration, logger: logger, onRecord: { _ in records.add() })
        try await worker.run()
        let (rate, emitted, busyCores) = try records.rate(eventsPerRecord: Self.eventsPerRecord)
        guard emitted == calls else { throw BenchFailure(message: "the worker emitted \(emitted) records for \(calls) calls") }
        return (rate, busyCores)
    }

    /// When each record was acknowledged, with the process's CPU time then.
    private final class RecordTimes: Sendable {
        private let times = Mutex<[(at: ContinuousClock.Instant, cpu: Double)]>([])

        func add() {
            let now = (ContinuousClock.now, processCPUSeconds())
            times.withLock { $0.append(now) }
        }

        func rate(eventsPerRecord: Int) throws -> (rate: Double, records: Int, busyCores: Double) {
            try times.withLock { times in
                guard let first = times.first, let last = times.last, times.count > 1 else { throw BenchFailure(message: "the worker emitted \(times.count) records") }
                let seconds = (last.at - first.at).seconds
                return (Double((times.count - 1) * eventsPerRecord) / seconds, times.count, (last.cpu - first.cpu) / seconds)
            }
        }
    }
}
