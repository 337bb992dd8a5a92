public import ServiceLifecycle

/// Ends the monitor's SSE streams when graceful shutdown begins: list it after the HTTP
/// application in the `ServiceGroup`, so it runs first and the server has no endless response to wait for.
/// Also sends a keep-alive comment every 15 s.
public struct MonitorStreamCloser: Service {
    let sink: MonitorSink

    public init(sink: MonitorSink) {
        self.sink = sink
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: .seconds(15))
                sink.keepAlive()
            }
        }
        sink.closeStreams()
    }
}
