public import Sinks

/// A ``SinkRunner`` running in a task of its own, for tests.
public final class RunningSinkRunner: Sendable {
    public let runner: SinkRunner
    private let task: Task<Void, any Error>

    public init(_ runner: SinkRunner) {
        self.runner = runner
        self.task = Task { try await runner.run() }
    }

    /// Waits until the sink accepted at least `count` records (repeats included), within `timeout`;
    /// `false` when time ran out.
    public func waitUntilWritten(_ count: Int, timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if runner.counters.written >= count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Writes what was read, commits, leaves the group and waits for the runner to end.
    public func stop() async throws {
        runner.triggerGracefulShutdown()
        try await task.value
    }

    /// Stops at once without committing, as a crash would.
    public func kill() async {
        task.cancel()
        _ = try? await task.value
    }
}
