/// The producer's lifecycle and the sends waiting for their delivery reports.
///
/// A value type behind the producer's lock: it decides, the producer does the I/O.
struct ProducerStateMachine<Waiter> {
    enum Lifecycle: Equatable {
        /// Created; sends queue up, reports arrive once `run()` polls.
        case initial
        case running
        /// No new sends; outstanding ones are flushed.
        case shuttingDown
        case finished
    }

    private(set) var lifecycle: Lifecycle = .initial
    private var waiters: [UInt: Waiter] = [:]
    private var nextID: UInt = 1

    var outstanding: Int { waiters.count }

    enum RegisterAction {
        /// Produce with this id as the message's opaque.
        case produce(id: UInt)
        /// The producer no longer accepts messages.
        case reject
    }

    mutating func register(_ waiter: Waiter) -> RegisterAction {
        switch lifecycle {
        case .initial, .running:
            let id = nextID
            nextID &+= 1
            if nextID == 0 { nextID = 1 }  // 0 would be a null opaque pointer
            waiters[id] = waiter
            return .produce(id: id)
        case .shuttingDown, .finished:
            return .reject
        }
    }

    /// The waiter of a message whose report arrived, or whose produce call failed.
    mutating func complete(id: UInt) -> Waiter? {
        waiters.removeValue(forKey: id)
    }

    /// Whether `run()` may start polling (only once).
    mutating func start() -> Bool {
        guard lifecycle == .initial else { return false }
        lifecycle = .running
        return true
    }

    mutating func beginShutdown() -> Bool {
        switch lifecycle {
        case .initial, .running:
            lifecycle = .shuttingDown
            return true
        case .shuttingDown, .finished:
            return false
        }
    }

    /// Finishes; returns the waiters whose messages will never be reported.
    mutating func finish() -> [Waiter] {
        lifecycle = .finished
        defer { waiters = [:] }
        return Array(waiters.values)
    }
}
