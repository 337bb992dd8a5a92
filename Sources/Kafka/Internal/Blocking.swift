import Dispatch
import Foundation
import Synchronization

/// Runs blocking librdkafka calls off Swift's cooperative thread pool (it has as many threads as
/// cores: two here), so a slow broker never stalls unrelated tasks.
enum Blocking {
    /// The threads' name.
    private static let name = "kafka-blocking"

    /// Runs `body` on a thread of its own and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.start(named: name) { continuation.resume(returning: body()) }
        }
    }

    /// Runs `body` on a thread of its own; returns `nil` when it has not finished within `timeout`.
    /// The thread then finishes on its own: librdkafka offers no way to interrupt it.
    static func run<T: Sendable>(timeout: Duration, _ body: @escaping @Sendable () -> T) async -> T? {
        let once = Mutex<CheckedContinuation<T?, Never>?>(nil)
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            once.withLock { $0 = continuation }
            Thread.start(named: name) {
                let value = body()
                once.withLock { $0.take() }?.resume(returning: value)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeout.milliseconds)) {
                once.withLock { $0.take() }?.resume(returning: nil)
            }
        }
    }
}
