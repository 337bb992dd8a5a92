import Foundation
import ServiceLifecycle
import Synchronization

/// Runs a client's polling loop on a thread of its own (librdkafka's poll calls block, and Swift's
/// cooperative pool has only as many threads as cores) until the loop returns.
enum PollingThread {
    /// Runs `loop` on a new thread named `name` (at most 15 bytes: ``Thread/start(named:_:)``) and
    /// returns when it does. On graceful shutdown or task cancellation, `stop` is called; it must
    /// make `loop` return.
    static func run(name: String, loop: @escaping @Sendable () -> Void, stop: @escaping @Sendable () -> Void) async {
        let completion = Completion()
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                completion.set(continuation)
                Thread.start(named: name) {
                    loop()
                    completion.finish()
                }
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
