import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection of the load generator: a request at a time, each answer read
/// whole. Lives inside ``with(host:port:_:)`` (the channel is closed when the body returns or throws).
final class HTTPConnection {
    /// An answer: status, `Retry-After` (seconds) when present, body.
    struct Answer {
        var status: Int
        var retryAfterSeconds: Int?
        var body: [UInt8]
    }

    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    private let host: String

    private init(
        inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>, host: String
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.host = host
    }

    /// Connects to `host:port` and runs `body` with the connection.
    static func with<T>(host: String, port: Int, _ body: (HTTPConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(HTTPConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound, host: host))
        }
    }

    /// Sends one request and reads its answer.
    func send(method: HTTPMethod = .POST, path: String, body: [UInt8], headers extra: [(String, String)] = []) async throws -> Answer {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in extra { headers.add(name: name, value: value) }
        try await outbound.write(contentsOf: [
            .head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)),
            .body(.byteBuffer(ByteBuffer(bytes: body))),
            .end(nil),
        ])
        var answer = Answer(status: 0, retryAfterSeconds: nil, body: [])
        while let part = try await inbound.next() {
            switch part {
            case .head(let head):
                answer.status = Int(head.status.code)
                answer.retryAfterSeconds = head.headers.first(name: "Retry-After").flatMap(Int.init)
            case .body(let buffer):
                answer.body.append(contentsOf: buffer.readableBytesView)
            case .end:
                return answer
            }
        }
        throw ReliabilityError(.connection, "the intake closed the connection before answering")
    }
}
