import Configuration
import Sinks
import SinkApp
import Testing

@Suite("callstream-sink configuration (no broker)")
struct SinkConfigurationTests {
    @Test("config/callstream.yaml states exactly the defaults of SinkConfiguration")
    func referenceFileStatesDefaults() async throws {
        let path = packageRoot.appendingPathComponent("config/callstream.yaml").path
        let file = try await FileProvider<YAMLSnapshot>(config: ConfigReader(provider: InMemoryProvider(values: ["filePath": .init(.string(path), isSecret: false)])))
        let read = try SinkConfiguration(reader: ConfigReader(provider: file))
        let defaults = SinkConfiguration()
        #expect(read.destination == "" && read.recordsTopic == defaults.recordsTopic && read.eventsTopic == defaults.eventsTopic)
        let (runner, reference) = (read.runner, defaults.runner)
        #expect(runner.bootstrapServers == reference.bootstrapServers && runner.groupID == reference.groupID && runner.clientID == reference.clientID)
        #expect(runner.deadLetterTopic == reference.deadLetterTopic && runner.batchSize == reference.batchSize && runner.batchWait == reference.batchWait)
        #expect(runner.retry == reference.retry && runner.maximumPending == reference.maximumPending && runner.drainTimeout == reference.drainTimeout)
        #expect(runner.sessionTimeout == reference.sessionTimeout && runner.heartbeatInterval == reference.heartbeatInterval)
        #expect(read.jsonlFsync == defaults.jsonlFsync && read.httpSecret == defaults.httpSecret && read.httpSignatureHeader == defaults.httpSignatureHeader)
        #expect(read.httpMaximumRequestsPerSecond == defaults.httpMaximumRequestsPerSecond && read.httpMaximumAttempts == defaults.httpMaximumAttempts)
        #expect(read.httpTimeout == defaults.httpTimeout && read.postgresTable == defaults.postgresTable)
        #expect(read.postgresMaximumConnections == defaults.postgresMaximumConnections)
        #expect(read.monitorHost == defaults.monitorHost && read.monitorEndedCalls == defaults.monitorEndedCalls)
    }

    @Test func eachKindGetsItsOwnGroup() throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "sink.destination": "jsonl:/tmp/archive", "sink.deadLetterTopic": "", "sink.batchSize": 7,
        ]))
        let configuration = try SinkConfiguration(reader: reader)
        #expect(configuration.destination == "jsonl:/tmp/archive" && configuration.runner.deadLetterTopic == nil && configuration.runner.batchSize == 7)
        let program = try buildSink(configuration: configuration, logger: testLogger())
        #expect(program.runner.configuration.groupID == "callstream-sink-jsonl")
        #expect(program.runner.configuration.topic == "callstream.records")
    }

    @Test func badValuesAreClearErrors() throws {
        #expect(throws: SinkError.self) { try SinkConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: ["sink.batchSize": 0]))) }
        #expect(throws: SinkError.self) { try SinkConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: ["sink.postgres.table": "calls; drop"]))) }
        for destination in ["", "ftp://x", "monitor:http", "jsonl:", "postgres://"] {
            #expect(throws: SinkError.self, "\(destination)") { try buildSink(configuration: SinkConfiguration(destination: destination), logger: testLogger()) }
        }
    }
}
