import Foundation

/// The ordered hand-over from the polling thread to the caller's task, with back-pressure.
///
/// The polling thread blocks (in short timed waits, so it can still serve seeks and stop) while
/// ``capacity`` messages wait; control events (rebalances) are never held back.
final class ConsumerEventBuffer: @unchecked Sendable {
    enum Element: Sendable {
        case event(KafkaConsumerEvent)
        case revocation([KafkaTopicPartition], RevocationGate)
    }

    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var waiter: CheckedContinuation<Element?, Never>?
    private var finished = false
    private var gates: [RevocationGate] = []
    /// Once the reader's iterator is gone, nobody will handle a revocation: complete them at once.
    private var readerGone = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var isFinished: Bool { condition.withLock { finished } }

    /// Appends a message; returns `false` while the buffer is full after `wait`, so the caller can do other work and retry.
    func pushMessage(_ message: KafkaMessage, wait: TimeInterval) -> Bool {
        condition.lock()
        if finished {
            condition.unlock()
            return true  // nobody will read it: drop
        }
        if let waiter = takeWaiter() {
            condition.unlock()
            waiter.resume(returning: .event(.message(message)))
            return true
        }
        if items.count - head >= capacity {
            _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            if items.count - head >= capacity && !finished {
                condition.unlock()
                return false
            }
        }
        items.append(.event(.message(message)))
        condition.unlock()
        return true
    }

    func pushControl(_ element: Element) {
        condition.lock()
        if case .revocation(_, let gate) = element {
            if finished || readerGone {
                condition.unlock()
                gate.open()
                return
            }
            gates.append(gate)
        }
        if let waiter = takeWaiter() {
            condition.unlock()
            waiter.resume(returning: element)
            return
        }
        items.append(element)
        condition.unlock()
    }

    /// The next element, waiting for one; `nil` once finished and drained.
    func next() async -> Element? {
        switch take() {
        case .element(let element): return element
        case .finished: return nil
        case .empty:
            return await withCheckedContinuation { continuation in
                takeOrWait(continuation)
            }
        }
    }

    private enum TakeResult {
        case element(Element)
        case finished
        case empty
    }

    private func take() -> TakeResult {
        condition.lock()
        defer { condition.unlock() }
        return takeLocked()
    }

    private func takeOrWait(_ continuation: CheckedContinuation<Element?, Never>) {
        condition.lock()
        switch takeLocked() {
        case .element(let element):
            condition.unlock()
            continuation.resume(returning: element)
        case .finished:
            condition.unlock()
            continuation.resume(returning: nil)
        case .empty:
            waiter = continuation
            condition.unlock()
        }
    }

    private func takeLocked() -> TakeResult {
        if head < items.count {
            let element = items[head]
            head += 1
            if head >= 4096 && head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            condition.signal()
            return .element(element)
        }
        return finished ? .finished : .empty
    }

    /// Drops buffered messages of `partitions` (after a seek they are stale).
    func discardMessages(of partitions: Set<KafkaTopicPartition>) {
        condition.withLock {
            let kept = items[head...].filter { element in
                if case .event(.message(let message)) = element { return !partitions.contains(message.topicPartition) }
                return true
            }
            items = Array(kept)
            head = 0
            condition.broadcast()
        }
    }

    /// Ends the sequence: the caller drains what is buffered, then gets `nil`. Open revocations complete.
    func finish() {
        condition.lock()
        finished = true
        let waiter = takeWaiter()
        let gates = self.gates
        self.gates = []
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
        gates.forEach { $0.open() }
    }

    /// The reader dropped its iterator (its loop ended).
    func readerDidLeave() {
        condition.lock()
        readerGone = true
        let gates = self.gates
        self.gates = []
        condition.unlock()
        gates.forEach { $0.open() }
    }

    private func takeWaiter() -> CheckedContinuation<Element?, Never>? {
        defer { waiter = nil }
        return waiter
    }
}
