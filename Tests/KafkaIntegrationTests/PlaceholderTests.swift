import Testing
@testable import Kafka
@Suite struct Placeholder { @Test func builds() { #expect(!KafkaModule.librdkafkaVersion.isEmpty) } }
