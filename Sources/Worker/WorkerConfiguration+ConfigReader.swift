public import Configuration
import Observability

extension WorkerConfiguration {
    /// Reads every option from `reader`; a missing key keeps the default. `config/callstream.yaml`
    /// documents each: `kafka.bootstrapServers`, `topics.events`, `topics.records`, `topics.dlq`,
    /// `worker.groupId`, `worker.clientId`, `worker.gracePeriodMs`, `worker.analysisWaitMs`,
    /// `worker.openCallLimitMs`, `worker.rememberedEmittedCalls`, `worker.lateEventWindowMs`,
    /// `worker.commitIntervalMs`, `worker.tickAfterMs` (0: no ticks), `worker.heapTrimIntervalMs`
    /// (0: never), `worker.maxOutstanding`,
    /// `worker.sessionTimeoutMs`, `worker.heartbeatIntervalMs`, `worker.drainTimeoutMs`,
    /// `worker.kafkaProperties` (`name=value` list), `worker.metricsHost`, `worker.metricsPort`
    /// (negative: no metrics server).
    public init(reader: ConfigReader) throws(WorkerError) {
        self.init()
        // `--kafka-bootstrap-servers a:9092,b:9092` arrives as a list from the command line (the
        // provider splits on commas), and a string read of it would fall back to the default.
        bootstrapServers = reader.string(forKey: "kafka.bootstrapServers")
            ?? reader.stringArray(forKey: "kafka.bootstrapServers")?.joined(separator: ",") ?? bootstrapServers
        eventsTopic = reader.string(forKey: "topics.events", default: eventsTopic)
        recordsTopic = reader.string(forKey: "topics.records", default: recordsTopic)
        deadLetterTopic = reader.string(forKey: "topics.dlq", default: deadLetterTopic)

        let worker = reader.scoped(to: "worker")
        groupID = worker.string(forKey: "groupId", default: groupID)
        clientID = worker.string(forKey: "clientId", default: clientID)
        assembler.gracePeriod = try Self.milliseconds(worker, "gracePeriodMs", default: assembler.gracePeriod)
        assembler.analysisWait = try Self.milliseconds(worker, "analysisWaitMs", default: assembler.analysisWait)
        assembler.openCallLimit = try Self.milliseconds(worker, "openCallLimitMs", default: assembler.openCallLimit)
        assembler.rememberedEmittedCalls = worker.int(forKey: "rememberedEmittedCalls", default: assembler.rememberedEmittedCalls)
        assembler.lateEventWindow = try Self.milliseconds(worker, "lateEventWindowMs", default: assembler.lateEventWindow, allowZero: true)
        commitInterval = try Self.milliseconds(worker, "commitIntervalMs", default: commitInterval)
        let tickAfterMs = worker.int(forKey: "tickAfterMs", default: tickAfter.map(Self.ms) ?? 0)
        guard tickAfterMs >= 0 else { throw WorkerError(.invalidConfiguration, "worker.tickAfterMs must be 0 or more") }
        tickAfter = tickAfterMs == 0 ? nil : .milliseconds(tickAfterMs)
        let heapTrimIntervalMs = worker.int(forKey: "heapTrimIntervalMs", default: heapTrimInterval.map(Self.ms) ?? 0)
        guard heapTrimIntervalMs >= 0 else { throw WorkerError(.invalidConfiguration, "worker.heapTrimIntervalMs must be 0 or more") }
        heapTrimInterval = heapTrimIntervalMs == 0 ? nil : .milliseconds(heapTrimIntervalMs)
        maximumOutstanding = worker.int(forKey: "maxOutstanding", default: maximumOutstanding)
        guard maximumOutstanding > 0 else { throw WorkerError(.invalidConfiguration, "worker.maxOutstanding must be positive") }
        sessionTimeout = try Self.milliseconds(worker, "sessionTimeoutMs", default: sessionTimeout)
        heartbeatInterval = try Self.milliseconds(worker, "heartbeatIntervalMs", default: heartbeatInterval)
        drainTimeout = try Self.milliseconds(worker, "drainTimeoutMs", default: drainTimeout)
        do {
            metricsServer = try MetricsServerConfiguration.read(worker)
        } catch {
            throw WorkerError(.invalidConfiguration, "worker.\(error.message)")
        }
        for pair in worker.stringArray(forKey: "kafkaProperties", isSecret: true, default: []) where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else {
                throw WorkerError(.invalidConfiguration, "worker.kafkaProperties entry is not name=value")
            }
            kafkaProperties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
    }

    private static func ms(_ duration: Duration) -> Int {
        Int(duration.milliseconds)
    }

    private static func milliseconds(_ reader: ConfigReader, _ key: String, default value: Duration, allowZero: Bool = false) throws(WorkerError) -> Duration {
        let ms = reader.int(forKey: ConfigKey(key), default: Self.ms(value))
        guard ms > 0 || (allowZero && ms == 0) else { throw WorkerError(.invalidConfiguration, "worker.\(key) must be positive") }
        return .milliseconds(ms)
    }
}
