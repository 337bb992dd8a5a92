public import Foundation

/// Runs `body` on a thread of its own and returns its result, so that a blocking call (waiting for
/// a child process, reading its pipe to the end) does not hold one of the cooperative pool's
/// threads. There are as many of those as cores, two here: two tests blocking them at once stalled
/// every other test's tasks, and a test waiting a few seconds for a passing state missed it.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

extension Process {
    /// Waits for the process to exit without holding a cooperative thread (``offPool(_:)``).
    public func exited() async {
        await offPool { self.waitUntilExit() }
    }
}

extension FileHandle {
    /// Reads to the end of the file (a pipe: until every writer closed it) without holding a
    /// cooperative thread (``offPool(_:)``).
    public func dataToEnd() async -> Data {
        await offPool { self.readDataToEndOfFile() }
    }
}
