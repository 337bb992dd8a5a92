/// What one `callstream load` run achieved.
public struct LoadReport: Sendable, CustomStringConvertible {
    public var calls = 0
    /// Webhooks to deliver (duplicates included).
    public var webhooks = 0
    /// Webhooks answered 2xx.
    public var acknowledged = 0
    /// HTTP requests sent, retries included.
    public var attempts = 0
    /// Webhooks given up on (after ``LoadConfiguration/maximumAttempts``, or refused with a 4xx).
    public var failed = 0
    /// Answers other than 2xx by status; `0` counts connection failures.
    public var errors: [Int: Int] = [:]
    public var elapsed: Duration = .zero
    /// Of the 2xx answers.
    public var latency = LatencySummary([])

    public init() {}

    /// Acknowledged webhooks per second.
    public var achievedRate: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(acknowledged) / seconds : 0
    }

    mutating func merge(_ other: LoadReport) {
        calls += other.calls
        webhooks += other.webhooks
        acknowledged += other.acknowledged
        attempts += other.attempts
        failed += other.failed
        errors.merge(other.errors, uniquingKeysWith: +)
    }

    public var description: String {
        let errorText = errors.isEmpty ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "connection" : String($0.key))×\($0.value)" }.joined(separator: " ")
        return "load: calls=\(calls) webhooks=\(webhooks) acknowledged=\(acknowledged) failed=\(failed) attempts=\(attempts) "
            + "elapsed=\(LatencySummary.ms(elapsed)) ms rate=\(Int(achievedRate.rounded()))/s latency \(latency) errors: \(errorText)"
    }
}
