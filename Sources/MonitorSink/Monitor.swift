public import Hummingbird
public import Logging
import NIOCore

/// The monitor's HTTP application: `GET /` the page (plain HTML/JS from the binary), `GET /events`
/// Server-Sent Events (`snapshot`, then `call` per change), `GET /calls` the calls as JSON,
/// `GET /health`. Run it with ``MonitorStreamCloser`` listed after it in the `ServiceGroup`.
///
/// `GET /?settleMs=N` makes the page's load event wait N ms (at most 30 s) while live updates
/// arrive: headless browsers that dump the DOM at load then show a live page.
public func buildMonitor(
    sink: MonitorSink, host: String = "127.0.0.1", port: Int, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    router.get("/") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: MonitorPage.html)))
    }
    router.get("/events") { _, _ in
        let stream = sink.subscribe()
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for await frame in stream { try await writer.write(ByteBuffer(string: frame)) }
                try await writer.finish(nil)
            }
        )
    }
    router.get("/calls") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: MonitorSink.json(sink.calls))))
    }
    router.get("/settle") { request, _ in
        let ms = min(30_000, max(0, Int(request.uri.queryParameters.get("ms") ?? "0") ?? 0))
        try await Task.sleep(for: .milliseconds(ms))
        return Response(status: .noContent)
    }
    router.get("/health") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger
    )
}
