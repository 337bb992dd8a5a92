import Dispatch
import Synchronization

/// Holds a revocation open until the caller has handled it.
final class RevocationGate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let opened = Atomic<Bool>(false)

    func open() {
        if opened.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            semaphore.signal()
        }
    }

    /// Waits for ``open()``; `false` when `timeout` passed first.
    func wait(timeout: Duration) -> Bool {
        semaphore.wait(timeout: .now() + .milliseconds(timeout.milliseconds)) == .success
    }
}
