import Configuration
import Synchronization

/// Remembers the last access of every key read through a `ConfigReader`.
final class AccessRecorder: AccessReporter {
    private let events = Mutex<[String: AccessEvent]>([:])

    func report(_ event: AccessEvent) {
        events.withLock { $0[event.metadata.key.components.joined(separator: ".")] = event }
    }

    var reads: [String: AccessEvent] {
        events.withLock { $0 }
    }
}
