/// Every configuration option CallStream reads, with the default the code uses. The one list that
/// `callstream config check` and the reference test (`DeploymentTests`) know the options from.
///
/// Adding an option: read it in the component's `init(reader:)`, add its line here, and add it with
/// a comment, its default and its environment variable to `config/callstream.yaml`. The reference
/// test names whatever is missing where.
public enum ConfigurationKeys {
    public static let all: [ConfigurationKey] = [
        .init("kafka.bootstrapServers", .string("127.0.0.1:9092")),
        .init("topics.events", .string("callstream.events")),
        .init("topics.records", .string("callstream.records")),
        .init("topics.dlq", .string("callstream.dlq")),
        .init("topics.directory", .string("callstream.directory")),
        .init("log.level", .string("info")),
        .init("log.format", .string("logfmt")),

        .init("intake.host", .string("0.0.0.0")),
        .init("intake.port", .int(8080)),
        .init("intake.clientId", .string("callstream-intake")),
        .init("intake.maxBodyBytes", .int(4_194_304)),
        .init("intake.maxHeaderBytes", .int(16384)),
        .init("intake.idleTimeoutMs", .int(60000)),
        .init("intake.publishTimeoutMs", .int(8000)),
        .init("intake.retryAfterSeconds", .int(5)),
        .init("intake.shutdownTimeoutMs", .int(15000)),
        .init("intake.brokerProbeIntervalMs", .int(5000)),
        .init("intake.brokerProbeTimeoutMs", .int(2000)),
        .init("intake.producerQueueMessages", .int(100_000)),
        .init("intake.producerLingerMs", .int(2)),
        .init("intake.kafkaProperties", .stringArray([]), .secretValuesByName),
        .init("intake.signature.required", .bool(false)),
        .init("intake.signature.header", .string("x-vox-signature")),
        .init("intake.signature.scheme", .string("v-d")),
        .init("intake.signature.secrets", .stringArray([]), .secret),
        .init("intake.signature.toleranceSeconds", .int(300)),
        .init("intake.inbound.lookup", .string("from")),
        .init("intake.inbound.defaults", .stringArray([])),
        .init("intake.inbound.responseShape", .string("flat")),
        .init("intake.inbound.directoryFromTopic", .bool(true)),
        .init("intake.inbound.directoryFile", .string("")),
        .init("intake.inbound.audit", .bool(true)),
        .init("intake.inbound.auditLingerMs", .int(100)),

        .init("worker.groupId", .string("callstream-workers")),
        .init("worker.clientId", .string("callstream-worker")),
        .init("worker.gracePeriodMs", .int(5000)),
        .init("worker.analysisWaitMs", .int(120_000)),
        .init("worker.openCallLimitMs", .int(14_400_000)),
        .init("worker.rememberedEmittedCalls", .int(10000)),
        .init("worker.lateEventWindowMs", .int(300_000)),
        .init("worker.commitIntervalMs", .int(250)),
        .init("worker.tickAfterMs", .int(5000)),
        .init("worker.heapTrimIntervalMs", .int(30000)),
        .init("worker.maxOutstanding", .int(20000)),
        .init("worker.sessionTimeoutMs", .int(10000)),
        .init("worker.heartbeatIntervalMs", .int(1000)),
        .init("worker.drainTimeoutMs", .int(5000)),
        .init("worker.kafkaProperties", .stringArray([]), .secretValuesByName),
        .init("worker.metricsHost", .string("0.0.0.0")),
        .init("worker.metricsPort", .int(9400)),
        .init("sink.destination", .string("")),
        .init("sink.groupId", .string("")),
        .init("sink.clientId", .string("callstream-sink")),
        .init("sink.deadLetterTopic", .string("callstream.sink-dlq")),
        .init("sink.batchSize", .int(100)),
        .init("sink.batchWaitMs", .int(50)),
        .init("sink.maxAttempts", .int(8)),
        .init("sink.initialBackoffMs", .int(100)),
        .init("sink.maxBackoffMs", .int(10000)),
        .init("sink.maxPending", .int(10000)),
        .init("sink.sessionTimeoutMs", .int(10000)),
        .init("sink.heartbeatIntervalMs", .int(1000)),
        .init("sink.drainTimeoutMs", .int(5000)),
        .init("sink.kafkaProperties", .stringArray([]), .secretValuesByName),
        .init("sink.metricsHost", .string("0.0.0.0")),
        .init("sink.metricsPort", .int(9401)),
        .init("sink.jsonl.fsync", .bool(true)),
        .init("sink.http.secret", .string(""), .secret),
        .init("sink.http.signatureHeader", .string("x-callstream-signature")),
        .init("sink.http.maxRequestsPerSecond", .double(20)),
        .init("sink.http.maxAttempts", .int(5)),
        .init("sink.http.timeoutMs", .int(10000)),
        .init("sink.postgres.table", .string("calls")),
        .init("sink.postgres.maxConnections", .int(4)),
        .init("sink.monitor.host", .string("127.0.0.1")),
        .init("sink.monitor.endedCalls", .int(50)),
    ]

    /// The option with this key, if there is one.
    public static func named(_ key: String) -> ConfigurationKey? {
        byKey[key]
    }

    private static let byKey = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
}
