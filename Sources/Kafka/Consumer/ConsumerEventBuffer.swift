import Foundation

/// The ordered hand-over from the polling thread to the caller's task, with back-pressure.
///
/// The polling thread stages a run of polled messages and hands them over at once; it blocks (in
/// short timed waits, so it can still serve seeks and stop) while ``capacity`` messages wait.
/// Control events (rebalances) are never held back and never overtake a message polled before them.
final class ConsumerEventBuffer: @unchecked Sendable {
    enum Element: Sendable {
        case event(KafkaConsumerEvent)
        case revocation([KafkaTopicPartition], RevocationGate)
    }

    private let condition = NSCondition()
    /// Elements in order; those before `head` were handed out and are `nil` (so a taken message's
    /// memory goes back at once, not when the front is next compacted).
    private var items: [Element?] = []
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

    /// Messages polled but not yet handed over; touched only by the polling thread, so polling
    /// a run of ready messages costs one lock and at most one wake-up of the reader.
    private var staged: [Element] = []
    /// The polling thread waits for room (guarded by `condition`).
    private var pollerWaiting = false

    var hasStaged: Bool { !staged.isEmpty }

    /// Adds a polled message to the batch the next ``flushStaged(wait:)`` hands over.
    func stage(_ message: KafkaMessage) {
        staged.append(.event(.message(message)))
    }

    /// Hands the staged messages to the reader; returns `false` while the buffer stays full after
    /// `wait`, so the polling thread can serve seeks and retry.
    func flushStaged(wait: TimeInterval) -> Bool {
        guard !staged.isEmpty else { return true }
        condition.lock()
        if finished {
            condition.unlock()
            staged.removeAll()  // nobody will read them
            return true
        }
        if waiter == nil && items.count - head >= capacity {
            pollerWaiting = true
            _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            pollerWaiting = false
            if waiter == nil && items.count - head >= capacity && !finished {
                condition.unlock()
                return false
            }
        }
        let resumed = appendStagedLocked()
        condition.unlock()
        resumed?.0.resume(returning: resumed?.1)
        return true
    }

    /// Moves the staged elements into the buffer; returns the waiting reader and what to give it.
    private func appendStagedLocked() -> (CheckedContinuation<Element?, Never>, Element)? {
        guard !staged.isEmpty else { return nil }
        // Moved, not copied: reversed in place, then popped from the end in the original order
        // (a copy would retain, and the emptied staging array release, every message's buffers).
        staged.reverse()
        let waiter = takeWaiter()
        let first = waiter == nil ? nil : staged.popLast()
        while let element = staged.popLast() { items.append(element) }
        guard let waiter, let first else { return nil }
        return (waiter, first)
    }

    /// Appends a rebalance event after everything polled before it; never held back by capacity.
    func pushControl(_ element: Element) {
        condition.lock()
        if !finished, let (waiter, first) = appendStagedLocked() {
            // The reader takes the staged messages first; the control event queues behind them.
            if case .revocation(_, let gate) = element {
                if readerGone { gate.open() } else { gates.append(gate) }
            }
            items.append(element)
            condition.unlock()
            waiter.resume(returning: first)
            return
        }
        staged.removeAll()
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

    /// Up to `maximum` elements in order, waiting for the first; a control element (rebalance)
    /// always ends the batch. Empty once finished and drained.
    func nextBatch(maximum: Int) async -> [Element] {
        var batch = takeBatch(maximum: maximum)
        if batch.isEmpty {
            guard let first = await next() else { return [] }
            batch.append(first)
            if case .event(.message) = first { batch += takeBatch(maximum: maximum - 1) }
        }
        return batch
    }

    /// Takes up to `maximum` ready messages without waiting, stopping before any other event
    /// (which stays for ``takeBatch(maximum:)``). The messages are moved out, not copied.
    func takeMessages(maximum: Int) -> [KafkaMessage] {
        condition.lock()
        defer { condition.unlock() }
        var messages: [KafkaMessage] = []
        taking: while messages.count < maximum, head < items.count {
            // Taken, then put back if it is not a message: matching it in place first copied every
            // message (a retain and a release of each of its buffers).
            switch items[head].take() {
            case .event(.message(let message))?:
                if messages.isEmpty { messages.reserveCapacity(min(maximum, items.count - head)) }
                head += 1
                messages.append(message)
            case let other:
                items[head] = other
                break taking
            }
        }
        if !messages.isEmpty { compactAndSignalLocked() }
        return messages
    }

    /// Up to `maximum` elements that are ready now, without waiting (empty when none is).
    func takeBatch(maximum: Int) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        var batch: [Element] = []
        batch.reserveCapacity(min(maximum, items.count - head))
        while batch.count < maximum, head < items.count {
            // Moved out, not copied: a copy retains and later releases each of the message's buffers.
            guard let element = items[head].take() else { break }
            head += 1
            batch.append(element)
            guard case .event(.message) = element else { break }
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
        if head < items.count, let element = items[head].take() {
            head += 1
            compactAndSignalLocked()
            return .element(element)
        }
        return finished ? .finished : .empty
    }

    /// Drops what was taken from the front; wakes the polling thread once the buffer is at most
    /// half full (not on every take: it would wake, find the buffer still full and sleep again).
    private func compactAndSignalLocked() {
        if head >= 4096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        if pollerWaiting && items.count - head <= capacity / 2 {
            condition.signal()
        }
    }

    /// Drops buffered messages of `partitions` (after a seek they are stale).
    func discardMessages(of partitions: Set<KafkaTopicPartition>) {
        staged.removeAll { element in
            if case .event(.message(let message)) = element { return partitions.contains(message.topicPartition) }
            return false
        }
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
