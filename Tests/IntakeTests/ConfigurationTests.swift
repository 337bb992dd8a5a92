import Configuration
import Intake
import Testing

@Suite("Intake configuration (no broker)")
struct IntakeConfigurationTests {
    func reference() async throws -> FileProvider<YAMLSnapshot> {
        let path = packageRoot.appendingPathComponent("config/callstream.yaml").path
        return try await FileProvider<YAMLSnapshot>(config: ConfigReader(provider: InMemoryProvider(values: ["filePath": .init(.string(path), isSecret: false)])))
    }

    @Test("config/callstream.yaml states exactly the defaults of IntakeConfiguration")
    func referenceFileStatesDefaults() async throws {
        let read = try IntakeConfiguration(reader: ConfigReader(provider: try await reference()))
        let defaults = IntakeConfiguration()
        #expect(read.host == defaults.host && read.port == defaults.port && read.clientID == defaults.clientID)
        #expect(read.bootstrapServers == defaults.bootstrapServers)
        #expect(read.eventsTopic == defaults.eventsTopic && read.directoryTopic == defaults.directoryTopic)
        #expect(read.maximumBodyBytes == defaults.maximumBodyBytes)
        #expect(read.maximumHeaderBytes == defaults.maximumHeaderBytes && read.idleTimeout == defaults.idleTimeout)
        #expect(read.publishTimeout == defaults.publishTimeout && read.retryAfterSeconds == defaults.retryAfterSeconds)
        #expect(read.shutdownTimeout == defaults.shutdownTimeout)
        #expect(read.brokerProbeInterval == defaults.brokerProbeInterval && read.brokerProbeTimeout == defaults.brokerProbeTimeout)
        #expect(read.producerQueueMessages == defaults.producerQueueMessages && read.producerLinger == defaults.producerLinger)
        #expect(read.kafkaProperties == defaults.kafkaProperties)
        #expect(read.signature.isRequired == defaults.signature.isRequired && read.signature.header == defaults.signature.header)
        #expect(read.signature.scheme == defaults.signature.scheme && read.signature.secrets == defaults.signature.secrets)
        #expect(read.signature.tolerance == defaults.signature.tolerance)
        #expect(read.inbound.lookup == defaults.inbound.lookup && read.inbound.defaults == defaults.inbound.defaults)
        #expect(read.inbound.responseShape == defaults.inbound.responseShape)
        #expect(read.inbound.directoryFromTopic == defaults.inbound.directoryFromTopic && read.inbound.directoryFile == defaults.inbound.directoryFile)
        #expect(read.inbound.auditLinger == defaults.inbound.auditLinger)
        #expect(read.inbound.auditToRawTopic == defaults.inbound.auditToRawTopic)
    }

    @Test("A broker list on the command line is read whole (the flags provider splits it on commas)")
    func brokerListFlag() throws {
        let flags = CommandLineArgumentsProvider(arguments: ["callstream-intake", "--kafka-bootstrap-servers", "a:9092,b:9092,c:9092"])
        #expect(try IntakeConfiguration(reader: ConfigReader(provider: flags)).bootstrapServers == "a:9092,b:9092,c:9092")
    }

    @Test("The environment and flags override the file; invalid values are configuration errors")
    func overrides() async throws {
        let environment = EnvironmentVariablesProvider(environmentVariables: [
            "KAFKA_BOOTSTRAP_SERVERS": "broker:9092",
            "INTAKE_PUBLISH_TIMEOUT_MS": "5000",
            "INTAKE_SIGNATURE_REQUIRED": "true",
            "INTAKE_SIGNATURE_SCHEME": "t-v0",
            "INTAKE_SIGNATURE_SECRETS": "new,old",
            "INTAKE_INBOUND_DEFAULTS": "customer_name=고객,greeting=hi=there",
            "INTAKE_INBOUND_RESPONSE_SHAPE": "call_inbound",
            "INTAKE_PORT": "9000",
        ])
        let flags = CommandLineArgumentsProvider(arguments: ["callstream-intake", "--intake-port", "9100", "--intake-max-body-bytes", "1024"])
        let read = try IntakeConfiguration(reader: ConfigReader(providers: [flags, environment, try await reference()]))
        #expect(read.bootstrapServers == "broker:9092")
        #expect(read.publishTimeout == .seconds(5))
        #expect(read.signature.isRequired && read.signature.scheme == .timestampedV0 && read.signature.secrets == ["new", "old"])
        #expect(read.inbound.defaults == ["customer_name": "고객", "greeting": "hi=there"])
        #expect(read.inbound.responseShape == .callInbound)
        #expect(read.port == 9100 && read.maximumBodyBytes == 1024)

        for (key, value) in [("INTAKE_SIGNATURE_SCHEME", "md5"), ("INTAKE_PUBLISH_TIMEOUT_MS", "0"), ("INTAKE_INBOUND_LOOKUP", "sideways")] {
            let bad = EnvironmentVariablesProvider(environmentVariables: [key: value])
            #expect(throws: IntakeError.self, "\(key)=\(value)") { try IntakeConfiguration(reader: ConfigReader(provider: bad)) }
        }
    }
}
