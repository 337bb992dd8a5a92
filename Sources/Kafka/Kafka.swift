import CRdKafka
public enum KafkaModule { public static var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) } }
