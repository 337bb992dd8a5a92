import HummingbirdCore
import Logging
import NIOCore

/// An HTTP child channel whose connection task prefers the connection's own event loop: the
/// handler reads the request, awaits the broker and writes the answer without hopping between the
/// event loop and the cooperative pool (at 256 connections, `POST call-events` took about 25%
/// more requests per second this way; see BENCHMARKS.md).
///
/// Handlers must not block: they run on the event loop that also serves their connection's I/O.
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
