import Kafka
import Testing

@Suite("Kafka configuration (no broker)")
struct ConfigurationTests {
    @Test("The producer is idempotent with acks=all; passthrough properties win")
    func producerProperties() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "a:1,b:2")
        configuration.messageTimeout = .milliseconds(1500)
        configuration.properties = ["linger.ms": "20", "compression.type": "lz4"]
        let properties = configuration.rdKafkaProperties
        #expect(properties["enable.idempotence"] == "true")
        #expect(properties["acks"] == "all")
        #expect(properties["bootstrap.servers"] == "a:1,b:2")
        #expect(properties["message.timeout.ms"] == "1500")
        #expect(properties["linger.ms"] == "20")
        #expect(properties["compression.type"] == "lz4")
        #expect(properties["partitioner"] == "murmur2_random")
    }

    @Test("The consumer never stores offsets by itself and uses an eager assignor")
    func consumerProperties() {
        var configuration = KafkaConsumerConfiguration(subscription: .group(topics: ["t"]), groupID: "g")
        configuration.assignor = .roundRobin
        configuration.autoCommitInterval = nil
        let properties = configuration.rdKafkaProperties
        #expect(properties["enable.auto.offset.store"] == "false")
        #expect(properties["enable.auto.commit"] == "false")
        #expect(properties["partition.assignment.strategy"] == "roundrobin")
        #expect(properties["group.id"] == "g")
        #expect(properties["auto.offset.reset"] == "earliest")
    }

    @Test("A bad librdkafka property is a configuration error naming it")
    func badProperty() {
        var configuration = KafkaProducerConfiguration()
        configuration.properties["no.such.property"] = "1"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: testLogger())
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.contains("no.such.property")
        }
    }

    @Test("A group subscription without a group id is refused")
    func groupNeedsID() {
        #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(configuration: KafkaConsumerConfiguration(subscription: .group(topics: ["t"]), groupID: nil), logger: testLogger())
        }
    }
}
