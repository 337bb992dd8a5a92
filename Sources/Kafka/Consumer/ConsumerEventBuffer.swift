import Foundation

/// The ordered hand-over from the polling thread to the caller's task, with back-pressure.
///
/// The polling thread stages a run of polled messages and hands them over at once, as one
/// ``MessageRun`` (its messages are moved, never copied); it blocks (in short timed waits, so it
/// can still serve seeks and stop) while ``capacity`` messages wait. Control events (rebalances)
/// are never held back and never overtake a message polled before them.
final class ConsumerEventBuffer: @unchecked Sendable {
    enum Element: Sendable {
        case event(KafkaConsumerEvent)
        case revocation([KafkaTopicPartition], RevocationGate)
    }

    /// What the buffer holds, in order.
    private enum Item {
        case messages(MessageRun)
        case control(Element)
    }

    private let condition = NSCondition()
    /// Items in order; those before `head` were handed out and are `nil`.
    private var items: [Item?] = []
    private var head = 0
    /// Messages buffered and not taken yet (what ``capacity`` bounds).
    private var messageCount = 0
    private var waiter: CheckedContinuation<Void, Never>?
    private var finished = false
    private var gates: [RevocationGate] = []
    /// Once the reader's iterator is gone, nobody will handle a revocation: complete them at once.
    private var readerGone = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var isFinished: Bool { condition.withLock { finished } }

    /// Messages polled but not yet handed over; touched only by the polling thread, so polling
    /// a run of ready messages costs one lock and at most one wake-up of the reader.
    private var staged: MessageRun?
    /// The polling thread waits for room (guarded by `condition`).
    private var pollerWaiting = false

    var hasStaged: Bool { !(staged?.isEmpty ?? true) }

    /// Adds a polled message to the run the next ``flushStaged(wait:)`` hands over.
    func stage(_ message: consuming KafkaMessage) {
        if staged == nil { staged = MessageRun(capacity: 256) }
        staged?.append(message)
    }

    /// Hands the staged messages to the reader; returns `false` while the buffer stays full after
    /// `wait`, so the polling thread can serve seeks and retry.
    func flushStaged(wait: TimeInterval) -> Bool {
        guard hasStaged else { return true }
        condition.lock()
        if finished {
            condition.unlock()
            staged = nil  // nobody will read them
            return true
        }
        if waiter == nil && messageCount >= capacity {
            pollerWaiting = true
            _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            pollerWaiting = false
            if waiter == nil && messageCount >= capacity && !finished {
                condition.unlock()
                return false
            }
        }
        appendStagedLocked()
        let waiter = takeWaiter()
        condition.unlock()
        waiter?.resume()
        return true
    }

    /// Moves the staged run into the buffer.
    private func appendStagedLocked() {
        guard let run = staged else { return }
        staged = nil
        guard !run.isEmpty else { return }
        messageCount += run.count
        items.append(.messages(run))
    }

    /// Appends a rebalance event after everything polled before it; never held back by capacity.
    func pushControl(_ element: Element) {
        condition.lock()
        if finished || readerGone {
            staged = nil
            condition.unlock()
            if case .revocation(_, let gate) = element { gate.open() }
            return
        }
        appendStagedLocked()
        if case .revocation(_, let gate) = element { gates.append(gate) }
        items.append(.control(element))
        let waiter = takeWaiter()
        condition.unlock()
        waiter?.resume()
    }

    /// The next element, waiting for one; `nil` once finished and drained.
    func next() async -> Element? {
        while true {
            switch take() {
            case .element(let element): return element
            case .finished: return nil
            case .empty: await waitForItems()
            }
        }
    }

    /// Up to `maximum` elements in order, waiting for the first; a control element (rebalance)
    /// always ends the batch. Empty once finished and drained.
    func nextBatch(maximum: Int) async -> [Element] {
        while true {
            let batch = takeBatch(maximum: maximum)
            if !batch.isEmpty { return batch }
            guard await waitForItems() else { return [] }
        }
    }

    /// Waits until an element is ready, without taking it; `false` once finished and drained.
    /// The waiter is resumed only when items arrive or the buffer finishes.
    @discardableResult
    func waitForItems() async -> Bool {
        await withCheckedContinuation { continuation in
            condition.lock()
            if head < items.count || finished {
                condition.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                condition.unlock()
            }
        }
        return condition.withLock { head < items.count }
    }

    /// Takes up to `maximum` ready messages without waiting, from the run at the front only (so
    /// they are moved, not copied); stops before any other event, which stays for
    /// ``takeBatch(maximum:)``.
    func takeMessages(maximum: Int) -> [KafkaMessage] {
        condition.lock()
        defer { condition.unlock() }
        guard head < items.count, case .messages(let run)? = items[head] else { return [] }
        let messages = run.take(upTo: maximum)
        messageCount -= messages.count
        if run.isEmpty { dropHeadLocked() }
        compactAndSignalLocked()
        return messages
    }

    /// Up to `maximum` elements that are ready now, without waiting (empty when none is).
    func takeBatch(maximum: Int) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        var batch: [Element] = []
        taking: while batch.count < maximum, head < items.count {
            switch items[head] {
            case .messages(let run)?:
                while batch.count < maximum, let message = run.takeFirst() {
                    messageCount -= 1
                    batch.append(.event(.message(message)))
                }
                if run.isEmpty { dropHeadLocked() }
            case .control(let element)?:
                dropHeadLocked()
                batch.append(element)
                break taking
            case nil:
                dropHeadLocked()
            }
        }
        if !batch.isEmpty { compactAndSignalLocked() }
        return batch
    }

    private enum TakeResult {
        case element(Element)
        case finished
        case empty
    }

    private func take() -> TakeResult {
        condition.lock()
        defer { condition.unlock() }
        while head < items.count {
            switch items[head] {
            case .messages(let run)?:
                if let message = run.takeFirst() {
                    messageCount -= 1
                    if run.isEmpty { dropHeadLocked() }
                    compactAndSignalLocked()
                    return .element(.event(.message(message)))
                }
                dropHeadLocked()
            case .control(let element)?:
                dropHeadLocked()
                compactAndSignalLocked()
                return .element(element)
            case nil:
                dropHeadLocked()
            }
        }
        return finished ? .finished : .empty
    }

    private func dropHeadLocked() {
        items[head] = nil
        head += 1
    }

    /// Drops what was taken from the front; wakes the polling thread once the buffer is at most
    /// half full (not on every take: it would wake, find the buffer still full and sleep again).
    private func compactAndSignalLocked() {
        if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        if pollerWaiting && messageCount <= capacity / 2 {
            condition.signal()
        }
    }

    /// Drops buffered messages of `partitions` (after a seek they are stale).
    func discardMessages(of partitions: Set<KafkaTopicPartition>) {
        _ = staged?.removeAll { partitions.contains($0.topicPartition) }
        condition.withLock {
            for index in head..<items.count {
                if case .messages(let run)? = items[index] {
                    messageCount -= run.removeAll { partitions.contains($0.topicPartition) }
                }
            }
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
        waiter?.resume()
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

    private func takeWaiter() -> CheckedContinuation<Void, Never>? {
        defer { waiter = nil }
        return waiter
    }
}
