/// Messages the polling thread handed over together, in order, taken from the front.
///
/// Each message is moved in and moved out, never copied: a copy of a ``KafkaMessage`` retains (and
/// its release later releases) each of its buffers, from two threads at once, and at hundreds of
/// thousands of messages a second that was a tenth of the worker's CPU. The run itself goes from
/// thread to thread as one reference.
///
/// Not thread-safe: the polling thread fills it before the hand-over, then only the buffer's lock
/// holders touch it.
final class MessageRun {
    /// The messages; those before `next` were taken and are `nil`.
    private var messages: [KafkaMessage?] = []
    private var next = 0

    init(capacity: Int) {
        messages.reserveCapacity(capacity)
    }

    /// Messages not taken yet.
    var count: Int { messages.count - next }
    var isEmpty: Bool { next == messages.count }

    func append(_ message: consuming KafkaMessage) {
        messages.append(message)
    }

    /// The first message not taken yet, moved out.
    func takeFirst() -> KafkaMessage? {
        guard next < messages.count else { return nil }
        defer { next += 1 }
        return messages[next].take()
    }

    /// Up to `maximum` messages from the front, moved out.
    func take(upTo maximum: Int) -> [KafkaMessage] {
        let taken = Swift.min(maximum, count)
        var result: [KafkaMessage] = []
        result.reserveCapacity(taken)
        for index in next..<(next + taken) {
            if let message = messages[index].take() { result.append(message) }
        }
        next += taken
        return result
    }

    /// Drops the messages not taken yet that `shouldRemove` picks; returns how many.
    func removeAll(where shouldRemove: (KafkaMessage) -> Bool) -> Int {
        let before = count
        var kept: [KafkaMessage?] = []
        kept.reserveCapacity(before)
        for index in next..<messages.count {
            guard let message = messages[index].take() else { continue }
            if !shouldRemove(message) { kept.append(message) }
        }
        messages = kept
        next = 0
        return before - count
    }
}
