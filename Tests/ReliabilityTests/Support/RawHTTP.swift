import Foundation

/// A hand-made HTTP exchange over a plain socket, for requests no HTTP client would send.
struct RawHTTP {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        /// The JSON error code of an error body.
        var errorCode: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
            return object["error"] as? String
        }
    }

    let port: Int

    /// Connects to 127.0.0.1:`port`.
    func connect(timeout: Duration = .seconds(20)) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(socket); throw POSIXError(.ECONNREFUSED) }
        var time = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    /// Writes all of `bytes`; `false` when the peer closed (it may have answered early).
    @discardableResult
    static func write(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    /// Reads one answer (Content-Length bodies), or `nil` when the server closed without one.
    static func read(_ socket: Int32) -> Answer? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = headerEnd(buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self).split(separator: "\r\n")
                guard let statusLine = head.first, let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = headers["content-length"].flatMap(Int.init) ?? 0
                while buffer.count < end + 4 + length {
                    let count = recv(socket, &chunk, chunk.count, 0)
                    if count <= 0 { break }
                    buffer += chunk[..<count]
                }
                return Answer(status: status, headers: headers, body: Array(buffer[(end + 4)...].prefix(length)))
            }
            let count = recv(socket, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer += chunk[..<count]
        }
    }

    private static func headerEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// A request's head.
    static func head(_ method: String, _ path: String, contentLength: Int?, extra: String = "") -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        text += extra + "\r\n"
        return Array(text.utf8)
    }

    /// Sends one whole request on a new connection and reads the answer.
    func exchange(_ method: String, _ path: String, body: [UInt8], extraHeaders: String = "") throws -> Answer? {
        let socket = try connect()
        defer { close(socket) }
        Self.write(socket, Self.head(method, path, contentLength: body.count, extra: extraHeaders) + body)
        return Self.read(socket)
    }
}
