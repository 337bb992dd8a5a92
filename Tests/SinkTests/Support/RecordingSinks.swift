import Foundation
import Sinks
import Synchronization

/// Keeps every record it is handed, in order; fails the first `failures` writes, and always fails
/// any batch holding a call in `poison`.
final class RecordingSink: RecordSink {
    private let received = Mutex<[SinkRecord]>([])
    private let remainingFailures: Mutex<Int>
    let poison: Set<String>

    init(failures: Int = 0, poison: Set<String> = []) {
        self.remainingFailures = Mutex(failures)
        self.poison = poison
    }

    func write(_ records: [SinkRecord]) async throws {
        let fail = remainingFailures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw SinkError(.unavailable, "injected failure") }
        if records.contains(where: { poison.contains($0.callID) }) { throw SinkError(.unavailable, "poison record") }
        received.withLock { $0 += records }
    }

    var records: [SinkRecord] { received.withLock { $0 } }
    var callIDs: Set<String> { Set(records.map(\.callID)) }
}
