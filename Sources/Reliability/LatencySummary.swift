import Foundation

/// Percentiles of a set of latencies.
public struct LatencySummary: Sendable, CustomStringConvertible {
    public var count: Int
    public var p50: Duration
    public var p99: Duration
    public var p999: Duration
    public var maximum: Duration

    public init(_ samples: [Duration]) {
        let sorted = samples.sorted()
        func at(_ quantile: Double) -> Duration {
            sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)]
        }
        count = sorted.count
        p50 = at(0.5)
        p99 = at(0.99)
        p999 = at(0.999)
        maximum = sorted.last ?? .zero
    }

    public var description: String {
        "p50=\(Self.ms(p50)) ms p99=\(Self.ms(p99)) ms p99.9=\(Self.ms(p999)) ms max=\(Self.ms(maximum)) ms"
    }

    /// Milliseconds with two decimals.
    public static func ms(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f", value)
    }
}
