import Foundation
import ServiceLifecycle
import Synchronization

/// Runs a client's polling loop on a thread of its own (librdkafka's poll calls block, and Swift's
/// cooperative pool has only as many threads as cores) until the loop returns.
enum PollingThread {
    /// Runs `loop` on a new thread named `name` and returns when it does. On graceful shutdown or
    /// task cancellation, `stop` is called; it must make `loop` return.
    ///
    /// Linux keeps at most 15 bytes of a thread's name and refuses a longer one: the thread then
    /// keeps the name of the thread that started it (a dispatch thread's, say), in `top -H`, perf
    /// and gdb alike.
    static func run(name: String, loop: @escaping @Sendable () -> Void, stop: @escaping @Sendable () -> Void) async {
        let completion = Completion()
        let thread = Thread {
            // Set by the thread itself: Foundation on Linux does not apply a name given before start.
            Thread.current.name = name
            loop()
            completion.finish()
        }
        precondition(name.utf8.count <= 15, "Linux refuses thread names over 15 bytes")
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                completion.set(continuation)
                thread.start()
            }
        } onCancelOrGracefulShutdown: {
            stop()
        }
    }

    private final class Completion: Sendable {
        private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)
        func set(_ continuation: CheckedContinuation<Void, Never>) { self.continuation.withLock { $0 = continuation } }
        func finish() { continuation.withLock { $0.take() }?.resume() }
    }
}
