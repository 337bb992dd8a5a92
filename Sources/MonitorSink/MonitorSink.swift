import Foundation
public import Sinks
import Synchronization

/// The live monitor's sink: keeps a ``MonitorState`` from the raw events and pushes each changed
/// call to the page's Server-Sent Events streams (``buildMonitor(sink:host:port:logger:onServerRunning:)``).
public final class MonitorSink: LiveEventSink {
    private struct Shared {
        var state: MonitorState
        var subscribers: [UInt64: AsyncStream<String>.Continuation] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let shared: Mutex<Shared>

    public init(endedLimit: Int = 50) {
        self.shared = Mutex(Shared(state: MonitorState(endedLimit: endedLimit)))
    }

    public func receive(_ events: [LiveEvent]) async throws {
        let frames = events.compactMap { event in
            shared.withLock { $0.state.apply(event) }.map { Self.frame("call", Self.json($0)) }
        }
        guard !frames.isEmpty else { return }
        shared.withLock { shared in
            for continuation in shared.subscribers.values {
                for frame in frames { continuation.yield(frame) }
            }
        }
    }

    public func shutdown() async throws {
        closeStreams()
    }

    /// The calls now: live ones by start, then ended ones newest first.
    public var calls: [MonitorCall] { shared.withLock { $0.state.calls } }

    /// Pages connected now.
    public var subscriberCount: Int { shared.withLock { $0.subscribers.count } }

    /// A stream of SSE frames: a `snapshot` of every call, then a `call` frame per change.
    public func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = shared.withLock { shared -> UInt64? in
            guard !shared.closed else { return nil }
            let id = shared.nextID
            shared.nextID += 1
            shared.subscribers[id] = continuation
            continuation.yield(Self.frame("snapshot", Self.json(shared.state.calls)))
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.shared.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every stream (and refuses new ones), so that the HTTP server can shut down.
    public func closeStreams() {
        let continuations = shared.withLock { shared in
            shared.closed = true
            defer { shared.subscribers.removeAll() }
            return Array(shared.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// Sends an SSE comment to every page (keeps proxies from closing idle streams).
    func keepAlive() {
        shared.withLock { shared in
            for continuation in shared.subscribers.values { continuation.yield(": keep-alive\n\n") }
        }
    }

    private static func frame(_ event: String, _ data: String) -> String {
        "event: \(event)\ndata: \(data)\n\n"
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
