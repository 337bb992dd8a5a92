import Logging
import Observability
import ServiceLifecycle
import Testing

@Suite struct HeapTrimmerTests {
    @Test func glibcHasMallocTrim() {
        #if canImport(Glibc)
        #expect(HeapTrimmer.isAvailable)
        #endif
    }

    /// It trims until the group shuts down, and does not end the group on its own.
    @Test func itRunsUntilGracefulShutdown() async throws {
        let group = ServiceGroup(services: [HeapTrimmer(interval: .milliseconds(10))], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!running.isCancelled)
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
