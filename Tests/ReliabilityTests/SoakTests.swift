import Foundation
import Testing

extension ReliabilityProcessTests {
    /// The soak (`make soak`, part of `make reliability`): the maximum closed-loop rate measured first,
    /// then `SOAK_MINUTES` minutes at half of it; the RSS of intake and worker sampled every minute and
    /// the slope of a least-squares line reported (target: under 1 MB per 10 minutes).
    @Suite("Reliability: soak")
    struct SoakTests {
        static let minutes = ProcessInfo.processInfo.environment["SOAK_MINUTES"].flatMap(Int.init)

        @Test(.enabled(if: minutes != nil, "set SOAK_MINUTES to run the soak"))
        func soakAtHalfOfMaximumLoadKeepsMemoryFlat() async throws {
            let minutes = Self.minutes ?? 1
            try await ReliabilityStack.with(brokers: 1) { stack in
                let intake = try await stack.startIntake()
                // The worker remembers up to worker.rememberedEmittedCalls emitted calls per partition
                // (10,000 by default: with 12 partitions about 36 minutes of this load, so its RSS would
                // rise through the whole soak towards that bound). A bound of 500 is reached within the
                // warm-up, so what the slope shows after it is growth beyond the bounds: a leak.
                let remembered = ProcessInfo.processInfo.environment["SOAK_REMEMBERED_CALLS"] ?? "500"
                let worker = try stack.startWorker(extra: ["--worker-remembered-emitted-calls", remembered])
                let (probe, _) = try stack.startLoad(calls: 1, rate: nil, concurrency: 32, extra: ["--seconds", "20"])
                #expect(await probe.waitForExit(timeout: .seconds(120)) != nil)
                let maximum = Self.rate(probe.output)
                let target = max(10, maximum / 2)
                reportFigure("soak: maximum closed-loop rate \(maximum)/s (debug build), soaking at \(target)/s for \(minutes) min, worker.rememberedEmittedCalls \(remembered)")

                let (load, _) = try stack.startLoad(calls: 1, rate: target, concurrency: 32, extra: ["--seconds", "\(minutes * 60)"])
                var samples: [(minute: Double, intake: Double, worker: Double)] = []
                let started = ContinuousClock.now
                for minute in 1...minutes {
                    try await Task.sleep(until: started + .seconds(60 * minute), clock: .continuous)
                    let sample = (Double(minute), Double(intake.residentBytes ?? 0) / 1_048_576, Double(worker.residentBytes ?? 0) / 1_048_576)
                    samples.append(sample)
                    reportFigure("soak: minute \(minute) intake RSS \(String(format: "%.1f", sample.1)) MB, worker RSS \(String(format: "%.1f", sample.2)) MB")
                }
                #expect(await load.waitForExit(timeout: .seconds(120)) != nil)
                // Warm-up: the worker remembers every emitted call for the late-event window (5 min by
                // default) so that a late event makes a new revision: its RSS rises for those minutes
                // by design, then holds. The slope is of the minutes after it (SOAK_WARMUP_MINUTES, 6).
                let warmUp = ProcessInfo.processInfo.environment["SOAK_WARMUP_MINUTES"].flatMap(Int.init) ?? 6
                let steady = samples.count > warmUp + 2 ? Array(samples.dropFirst(warmUp)) : samples
                let intakeSlope = Self.slope(steady.map { ($0.minute, $0.intake) }) * 10
                let workerSlope = Self.slope(steady.map { ($0.minute, $0.worker) }) * 10
                let line = load.output.split(separator: "\n").last { $0.hasPrefix("load:") } ?? ""
                reportFigure("soak: \(line)")
                reportFigure("soak: slope intake \(String(format: "%.3f", intakeSlope)) MB/10 min, worker \(String(format: "%.3f", workerSlope)) MB/10 min")
                #expect(intake.isRunning && worker.isRunning, "no crash")
                #expect(loadFigure(load.output, "failed") == 0)
                if minutes >= 10 {
                    #expect(intakeSlope < 1, "intake RSS slope \(intakeSlope) MB/10 min")
                    #expect(workerSlope < 1, "worker RSS slope \(workerSlope) MB/10 min")
                }
            }
        }

        /// The `rate=N/s` of a load summary.
        static func rate(_ output: String) -> Int {
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("load:") }),
                  let field = line.split(separator: " ").first(where: { $0.hasPrefix("rate=") }) else { return 0 }
            return Int(field.dropFirst("rate=".count).dropLast("/s".count)) ?? 0
        }

        /// The least-squares slope of `points`.
        static func slope(_ points: [(Double, Double)]) -> Double {
            guard points.count >= 2 else { return 0 }
            let meanX = points.map(\.0).reduce(0, +) / Double(points.count)
            let meanY = points.map(\.1).reduce(0, +) / Double(points.count)
            let numerator = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
            let denominator = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
            return denominator == 0 ? 0 : numerator / denominator
        }
    }
}
