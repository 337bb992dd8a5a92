/// What every sink may do around its writes; both hooks default to nothing.
public protocol SinkLifecycle: Sendable {
    /// Called once before the first write (connect, create tables).
    func start() async throws
    /// Called once after the last write (flush, close).
    func shutdown() async throws
}

extension SinkLifecycle {
    public func start() async throws {}
    public func shutdown() async throws {}
}
