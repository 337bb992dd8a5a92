/// Options of ``HTTPSink``; defaults also in `config/callstream.yaml` (`sink.http.*`).
public struct HTTPSinkConfiguration: Sendable {
    /// Where each record is POSTed (`http://…` or `https://…`).
    public var url: String
    /// The HMAC-SHA256 key signing each request; empty sends no signature. Default: empty.
    public var secret: String = ""
    /// The signature header: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the timestamp
    /// (epoch ms) in ``timestampHeader``. Default: `x-callstream-signature`.
    public var signatureHeader: String = "x-callstream-signature"
    /// Default: `x-callstream-timestamp`.
    public var timestampHeader: String = "x-callstream-timestamp"
    /// Requests per second at most; 0: no limit. Default: 20.
    public var maximumRequestsPerSecond: Double = 20
    /// Attempts per record on 5xx, 408, 429 and connection errors before the runner takes over
    /// (its backoff, then the dead-letter topic). Default: 5.
    public var maximumAttempts: Int = 5
    /// First wait between attempts, doubled each time up to 5 s. Default: 200 ms.
    public var initialBackoff: Duration = .milliseconds(200)
    /// Per request. Default: 10 s.
    public var requestTimeout: Duration = .seconds(10)

    public init(url: String, secret: String = "") {
        self.url = url
        self.secret = secret
    }
}
