/// What `callstream load` sends, and how fast.
public struct LoadConfiguration: Sendable {
    /// The intake's host and port, from `--url http://host:port`.
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The call-events route. Default: `/webhooks/vox/call-events`.
    public var path: String = "/webhooks/vox/call-events"
    /// How many calls. Default: 1000.
    public var calls: Int = 1000
    /// Events per call (the sample's own, padded with more `mid_call` events). Default: 12.
    public var eventsPerCall: Int = 12
    /// Calls in flight at once, one connection each. Default: 32.
    public var concurrency: Int = 32
    /// Webhooks per second, all connections together (open loop); `nil` sends as fast as answers come (closed loop). Default: `nil`.
    public var rate: Double?
    /// Stop starting calls after this long (soak); `nil`: after ``calls``. Default: `nil`.
    public var duration: Duration?
    /// Share of events delivered twice. Default: 0.05.
    public var duplicates: Double = 0.05
    /// Share of events swapped with the next one of their call. Default: 0.1.
    public var outOfOrder: Double = 0.1
    /// Share of calls in format v1 (the rest v2). Default: 0.5.
    public var v1Share: Double = 0.5
    /// Share of Korean calls (the rest English). Default: 0.5.
    public var koreanShare: Double = 0.5
    /// Extra transcript bytes in every `call_ended`. Default: 0.
    public var transcriptBytes: Int = 0
    /// Attempts per webhook: 503s and connection failures are retried, honouring `Retry-After`. Default: 30.
    public var maximumAttempts: Int = 30
    /// The longest wait between attempts, whatever `Retry-After` says. Default: 5 s.
    public var maximumRetryWait: Duration = .seconds(5)
    /// The sample calls copied. Default: `config/samples`.
    public var samplesFolder: String = "config/samples"
    /// Seeds the choices (templates, duplicates, swaps). Default: 1.
    public var seed: UInt64 = 1
    /// Prefix of every generated call_id (unique per run by default).
    public var callIDPrefix: String = "load"

    public init() {}

    /// Reads `http://host:port` (a path after it replaces ``path``).
    public mutating func setURL(_ url: String) throws(ReliabilityError) {
        guard url.hasPrefix("http://") else { throw ReliabilityError(.invalidArgument, "--url must start with http:// (got \(url))") }
        var rest = url.dropFirst("http://".count)
        if let slash = rest.firstIndex(of: "/") {
            let suffix = String(rest[slash...])
            if suffix != "/" { path = suffix }
            rest = rest[..<slash]
        }
        let parts = rest.split(separator: ":")
        guard let hostPart = parts.first, parts.count <= 2 else { throw ReliabilityError(.invalidArgument, "cannot read the host of \(url)") }
        host = String(hostPart)
        if parts.count == 2 {
            guard let number = Int(parts[1]), number > 0 else { throw ReliabilityError(.invalidArgument, "cannot read the port of \(url)") }
            port = number
        } else {
            port = 80
        }
    }
}
