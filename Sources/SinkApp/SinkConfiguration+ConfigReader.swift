public import Configuration
import Observability
public import Sinks

extension SinkConfiguration {
    /// Reads every option from `reader`; a missing key keeps the default. The destination is
    /// `sink.destination` (`callstream-sink --sink X` is `--sink-destination X`). `config/callstream.yaml` documents each key:
    /// `kafka.bootstrapServers`, `topics.records`, `topics.events`, `sink.destination`, `sink.groupId`,
    /// `sink.clientId`, `sink.deadLetterTopic` (empty: never give up), `sink.batchSize`,
    /// `sink.batchWaitMs`, `sink.maxAttempts`, `sink.initialBackoffMs`, `sink.maxBackoffMs`,
    /// `sink.maxPending`, `sink.sessionTimeoutMs`, `sink.heartbeatIntervalMs`, `sink.drainTimeoutMs`,
    /// `sink.kafkaProperties`, `sink.jsonl.fsync`, `sink.http.*`, `sink.postgres.*`, `sink.monitor.*`.
    public init(reader: ConfigReader) throws(SinkError) {
        self.init()
        let sink = reader.scoped(to: "sink")
        destination = sink.string(forKey: "destination", default: "")
        runner.bootstrapServers = reader.string(forKey: "kafka.bootstrapServers", default: runner.bootstrapServers)
        recordsTopic = reader.string(forKey: "topics.records", default: recordsTopic)
        eventsTopic = reader.string(forKey: "topics.events", default: eventsTopic)

        let group = sink.string(forKey: "groupId", default: "")
        runner.groupID = group.isEmpty ? runner.groupID : group
        runner.clientID = sink.string(forKey: "clientId", default: runner.clientID)
        let deadLetters = sink.string(forKey: "deadLetterTopic", default: runner.deadLetterTopic ?? "")
        runner.deadLetterTopic = deadLetters.isEmpty ? nil : deadLetters
        runner.batchSize = try Self.positive(sink, "batchSize", runner.batchSize)
        runner.batchWait = try Self.milliseconds(sink, "batchWaitMs", runner.batchWait, allowZero: true)
        runner.retry.maximumAttempts = try Self.positive(sink, "maxAttempts", runner.retry.maximumAttempts)
        runner.retry.initialDelay = try Self.milliseconds(sink, "initialBackoffMs", runner.retry.initialDelay)
        runner.retry.maximumDelay = try Self.milliseconds(sink, "maxBackoffMs", runner.retry.maximumDelay)
        runner.maximumPending = try Self.positive(sink, "maxPending", runner.maximumPending)
        runner.sessionTimeout = try Self.milliseconds(sink, "sessionTimeoutMs", runner.sessionTimeout)
        runner.heartbeatInterval = try Self.milliseconds(sink, "heartbeatIntervalMs", runner.heartbeatInterval)
        runner.drainTimeout = try Self.milliseconds(sink, "drainTimeoutMs", runner.drainTimeout)
        for pair in sink.stringArray(forKey: "kafkaProperties", isSecret: true, default: []) where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else {
                throw SinkError(.invalidConfiguration, "sink.kafkaProperties entry is not name=value")
            }
            runner.kafkaProperties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }

        jsonlFsync = sink.bool(forKey: "jsonl.fsync", default: jsonlFsync)
        httpSecret = sink.string(forKey: "http.secret", isSecret: true, default: httpSecret)
        httpSignatureHeader = sink.string(forKey: "http.signatureHeader", default: httpSignatureHeader)
        httpMaximumRequestsPerSecond = sink.double(forKey: "http.maxRequestsPerSecond", default: httpMaximumRequestsPerSecond)
        guard httpMaximumRequestsPerSecond >= 0 else { throw SinkError(.invalidConfiguration, "sink.http.maxRequestsPerSecond must be 0 or more") }
        httpMaximumAttempts = try Self.positive(sink, "http.maxAttempts", httpMaximumAttempts)
        httpTimeout = try Self.milliseconds(sink, "http.timeoutMs", httpTimeout)
        postgresTable = sink.string(forKey: "postgres.table", default: postgresTable)
        guard postgresTable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !postgresTable.isEmpty else {
            throw SinkError(.invalidConfiguration, "sink.postgres.table must be letters, digits and _")
        }
        postgresMaximumConnections = try Self.positive(sink, "postgres.maxConnections", postgresMaximumConnections)
        monitorHost = sink.string(forKey: "monitor.host", default: monitorHost)
        do {
            metricsServer = try MetricsServerConfiguration.read(sink, defaultPort: 9401)
        } catch {
            throw SinkError(.invalidConfiguration, "sink.\(error.message)")
        }
        monitorEndedCalls = try Self.positive(sink, "monitor.endedCalls", monitorEndedCalls)
    }

    private static func positive(_ reader: ConfigReader, _ key: String, _ value: Int) throws(SinkError) -> Int {
        let result = reader.int(forKey: ConfigKey(key), default: value)
        guard result > 0 else { throw SinkError(.invalidConfiguration, "sink.\(key) must be positive") }
        return result
    }

    private static func milliseconds(_ reader: ConfigReader, _ key: String, _ value: Duration, allowZero: Bool = false) throws(SinkError) -> Duration {
        let ms = reader.int(forKey: ConfigKey(key), default: Int(value.components.seconds) * 1000 + Int(value.components.attoseconds / 1_000_000_000_000_000))
        guard ms > 0 || (allowZero && ms == 0) else { throw SinkError(.invalidConfiguration, "sink.\(key) must be positive") }
        return .milliseconds(ms)
    }
}
