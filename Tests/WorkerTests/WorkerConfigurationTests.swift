import Configuration
import Testing
import Worker

@Suite("Worker configuration (no broker)")
struct WorkerConfigurationTests {
    @Test("config/callstream.yaml states exactly the defaults of WorkerConfiguration")
    func referenceFileStatesDefaults() async throws {
        let path = packageRoot.appendingPathComponent("config/callstream.yaml").path
        let file = try await FileProvider<YAMLSnapshot>(config: ConfigReader(provider: InMemoryProvider(values: ["filePath": .init(.string(path), isSecret: false)])))
        let read = try WorkerConfiguration(reader: ConfigReader(provider: file))
        let defaults = WorkerConfiguration()
        #expect(read.bootstrapServers == defaults.bootstrapServers && read.groupID == defaults.groupID && read.clientID == defaults.clientID)
        #expect(read.eventsTopic == defaults.eventsTopic && read.recordsTopic == defaults.recordsTopic && read.deadLetterTopic == defaults.deadLetterTopic)
        #expect(read.assembler == defaults.assembler)
        #expect(read.commitInterval == defaults.commitInterval && read.tickAfter == defaults.tickAfter)
        #expect(read.maximumOutstanding == defaults.maximumOutstanding && read.drainTimeout == defaults.drainTimeout)
        #expect(read.sessionTimeout == defaults.sessionTimeout && read.heartbeatInterval == defaults.heartbeatInterval)
        #expect(read.kafkaProperties == defaults.kafkaProperties)
    }

    @Test func flagsOverrideTheFile() throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "worker.tickAfterMs": 0, "topics.records": "r", "worker.kafkaProperties": .init(.stringArray(["a=b"]), isSecret: false),
        ]))
        let read = try WorkerConfiguration(reader: reader)
        #expect(read.tickAfter == nil && read.recordsTopic == "r" && read.kafkaProperties == ["a": "b"])
    }

    @Test func aBrokerListFlagIsReadWhole() throws {
        let flags = CommandLineArgumentsProvider(arguments: ["callstream-worker", "--kafka-bootstrap-servers", "a:9092,b:9092"])
        #expect(try WorkerConfiguration(reader: ConfigReader(provider: flags)).bootstrapServers == "a:9092,b:9092")
    }
}
