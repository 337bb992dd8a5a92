import Synchronization

/// A topic's name, interned: one instance per distinct name for the life of the process, so that
/// a ``KafkaMessage`` can refer to it without reference counting.
///
/// A message's topic was a `String` whose storage every message of the topic shared: each message
/// made on the polling thread retained it and each one freed on the reading task released it, two
/// atomic operations per message on one cache line that the two threads took from each other.
/// Names are few (the topics a process reads), so the table only grows by them.
final class KafkaTopicName: Sendable {
    let name: String

    private init(_ name: String) {
        self.name = name
    }

    private static let table = Mutex<[String: KafkaTopicName]>([:])

    /// The one instance for `name`, made on first use and kept for the life of the process.
    static func interned(_ name: String) -> KafkaTopicName {
        table.withLock { table in
            if let interned = table[name] { return interned }
            let interned = KafkaTopicName(name)
            table[name] = interned
            return interned
        }
    }
}
