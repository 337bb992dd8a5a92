/// Exponential backoff for failed writes: `initialDelay`, doubled each attempt up to `maximumDelay`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts at a batch before its records are tried one by one and, failing again, dead-lettered.
    /// Default: 8.
    public var maximumAttempts: Int = 8
    /// Wait after the first failure. Default: 100 ms.
    public var initialDelay: Duration = .milliseconds(100)
    /// The longest wait between two attempts. Default: 10 s.
    public var maximumDelay: Duration = .seconds(10)

    public init(maximumAttempts: Int = 8, initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(10)) {
        self.maximumAttempts = maximumAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }
}
