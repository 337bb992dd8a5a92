/// How the inbound webhook finds dynamic variables for a call.
public struct InboundConfiguration: Sendable {
    /// Which number of the request is looked up in the directory.
    public enum LookupNumber: String, Sendable, Hashable {
        /// The caller (`from_number` / `call_from`).
        case from
        /// The number called (`to_number` / `call_to`).
        case to
    }

    /// Which number keys the directory. Default: ``LookupNumber/from`` (the caller).
    public var lookup: LookupNumber = .from
    /// Variables answered when the number is unknown (and merged under a known number's own). Default: none.
    public var defaults: [String: String] = [:]
    /// The answer's JSON shape. Default: ``InboundResponseShape/flat``.
    public var responseShape: InboundResponseShape = .flat
    /// Read the directory from the compacted directory topic. Default: `true`.
    public var directoryFromTopic: Bool = true
    /// A CSV (`number,key1,key2…` with a header line) or JSON (`{"+8210…": {"key": "value"}}`) file
    /// that seeds the directory at start; topic entries override it. Default: none.
    public var directoryFile: String? = nil
    /// Publish each inbound request to the raw-events topic (in the background) for audit. Default: `true`.
    public var auditToRawTopic: Bool = true
    /// How long audit copies wait to be sent together (the linger of their own producer). They may
    /// wait; answers may not, and fewer broker wake-ups keep the answers' tail short. Default: 100 ms.
    public var auditLinger: Duration = .milliseconds(100)

    public init() {}
}
