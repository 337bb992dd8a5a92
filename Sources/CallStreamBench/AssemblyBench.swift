import CallAssembly
import Foundation

/// The call assembler on one core: `mid_call` events per second and memory per open call.
struct AssemblyBench {
    let calls: Int

    func run() -> [BenchResult] {
        // Text excluded for memory (the target is about the assembler's own overhead).
        let silent = AssemblerWorkload(calls: calls, eventsPerCall: 20, contentBytes: 0)
        let before = heapBytesInUse()
        let assembler = silent.run()
        // The workload's own bytes are not the assembler's: kept alive until measured.
        let perCall = withExtendedLifetime(silent) { Double(heapBytesInUse() - before) / Double(assembler.openCallCount) }

        let workload = AssemblerWorkload(calls: calls, eventsPerCall: 20, contentBytes: 60)
        var best = 0.0
        for _ in 0..<3 {
            let started = ContinuousClock.now
            let result = workload.run()
            let elapsed = (ContinuousClock.now - started).seconds
            precondition(result.openCallCount == calls)
            best = max(best, Double(workload.events.count) / elapsed)
        }
        return [
            BenchResult(name: "assembler, mid_call events (60 B text), \(calls) open calls", value: best, unit: "events/s",
                        target: "≥ 500000", met: best >= 500_000),
            BenchResult(name: "assembler, memory per open call of 20 events, text excluded", value: perCall, unit: "B",
                        target: "≤ 8192", met: perCall <= 8192),
        ]
    }
}
