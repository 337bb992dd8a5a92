import Synchronization

/// The inbound directory held in memory: dynamic variables by phone number. Lookups never wait
/// on the broker; the directory service and the start-up file feed it.
public final class Directory: Sendable {
    private struct State {
        var entries: [String: [String: String]] = [:]
        var isLoaded = false
    }

    private let state = Mutex(State())

    public init() {}

    /// The variables stored for `number`, if any.
    public func variables(for number: String) -> [String: String]? {
        state.withLock { $0.entries[number] }
    }

    /// Stores (replaces) the variables of `number`.
    public func put(_ number: String, _ variables: [String: String]) {
        state.withLock { $0.entries[number] = variables }
    }

    /// Forgets `number`.
    public func remove(_ number: String) {
        _ = state.withLock { $0.entries.removeValue(forKey: number) }
    }

    /// How many numbers are known.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Whether every configured source has been read up to where it stood at start.
    public var isLoaded: Bool { state.withLock { $0.isLoaded } }

    func markLoaded() {
        state.withLock { $0.isLoaded = true }
    }
}
