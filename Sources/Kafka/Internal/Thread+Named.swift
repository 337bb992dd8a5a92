import Foundation

extension Thread {
    /// Starts `body` on a new thread named `name`, which the thread sets itself: Foundation on
    /// Linux does not apply a name given before `start()`, and Linux refuses a name over 15 bytes.
    /// Either way the thread would keep the name of the thread that started it (a dispatch
    /// thread's, say) in `top -H`, perf and gdb.
    static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        precondition(name.utf8.count <= 15, "Linux refuses thread names over 15 bytes")
        Thread {
            Thread.current.name = name
            body()
        }.start()
    }
}
