import Kafka
@main struct Main { static func main() { print(KafkaModule.librdkafkaVersion) } }
