public import Kafka

/// Everything the intake can be told; every default is here and in `config/callstream.yaml`.
public struct IntakeConfiguration: Sendable {
    /// The address the HTTP server binds. Default: `0.0.0.0`.
    public var host: String = "0.0.0.0"
    /// The HTTP port; `0` picks a free one (tests). Default: `8080`.
    public var port: Int = 8080
    /// The broker bootstrap list (`host:port,…`). Default: `127.0.0.1:9092`.
    public var bootstrapServers: String = "127.0.0.1:9092"
    /// The client id the brokers see. Default: `callstream-intake`.
    public var clientID: String = "callstream-intake"
    /// The raw-events topic every accepted webhook is published to. Default: `callstream.events`.
    public var eventsTopic: String = "callstream.events"
    /// The compacted directory topic (key: E.164 number; value: JSON object of strings). Default: `callstream.directory`.
    public var directoryTopic: String = "callstream.directory"
    /// The largest body accepted; larger ones get 413. Default: 4 MiB.
    public var maximumBodyBytes: Int = 4 * 1024 * 1024
    /// The largest request head (one header field, and all of them together); larger ones get 431
    /// or the connection closed. Default: 16 KiB.
    public var maximumHeaderBytes: Int = 16 * 1024
    /// A connection with no byte read or written for this long is closed (keep-alive connections
    /// left open, half-sent requests). Default: 60 s.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a call-events request waits for the broker's acknowledgement before answering 503.
    /// It is also the producer's `message.timeout.ms`, so an event that got a 503 is not delivered
    /// later by librdkafka's own retries. It stays below the platform's 10 s webhook timeout, so the
    /// platform sees our 503 (and retries) rather than its own timeout. Default: 8 s.
    public var publishTimeout: Duration = .seconds(8)
    /// The `Retry-After` (seconds) sent with a 503. Default: 5.
    public var retryAfterSeconds: Int = 5
    /// Signature verification of the call-events webhook. Default: off.
    public var signature = SignatureConfiguration()
    /// The inbound webhook's directory and answer.
    public var inbound = InboundConfiguration()
    /// How often readiness checks that the broker answers a metadata request. Default: 5 s.
    public var brokerProbeInterval: Duration = .seconds(5)
    /// How long one broker probe may take. Default: 2 s.
    public var brokerProbeTimeout: Duration = .seconds(2)
    /// The bound on a graceful shutdown: in-flight requests drain, then the producer flushes. Default: 15 s.
    public var shutdownTimeout: Duration = .seconds(15)
    /// Most messages waiting in the producer's local queue; beyond it requests get 503 (`queue.buffering.max.messages`). Default: 100000.
    public var producerQueueMessages: Int = 100_000
    /// How long librdkafka waits to fill a batch (`linger.ms`). Default: 2 ms.
    public var producerLinger: Duration = .milliseconds(2)
    /// Other librdkafka properties for every client of the intake (applied last). Default: none.
    public var kafkaProperties: [String: String] = [:]

    public init() {}

    /// The audit copies' producer: the same, but lingering ``InboundConfiguration/auditLinger``.
    public var auditProducerConfiguration: KafkaProducerConfiguration {
        var configuration = producerConfiguration
        configuration.clientID = clientID + "-audit"
        configuration.linger = inbound.auditLinger
        return configuration
    }

    /// The producer configuration these settings stand for.
    public var producerConfiguration: KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = clientID
        configuration.messageTimeout = publishTimeout
        configuration.linger = producerLinger
        configuration.maximumQueuedMessages = producerQueueMessages
        configuration.shutdownTimeout = shutdownTimeout
        configuration.properties = kafkaProperties
        return configuration
    }
}
