/// Timing and memory limits of a ``CallAssembler``. All times are stream time (event time), never
/// wall-clock time, so a replay decides exactly as the live run did.
public struct AssemblerConfiguration: Sendable, Hashable {
    /// How long after a call's end (its `call_ended` time) to wait for straggling events before
    /// emitting it. Default: 5 s.
    public var gracePeriod: Duration = .seconds(5)

    /// For v2 calls, how long after the end to wait for `call_analyzed` before emitting without
    /// it (a later `call_analyzed` then gives a new revision). Default: 120 s.
    public var analysisWait: Duration = .seconds(120)

    /// How long after its first event a call without `call_ended` stays open before it is emitted
    /// `incomplete`. Default: 4 h.
    public var openCallLimit: Duration = .seconds(4 * 3600)

    /// How many emitted calls are remembered, with their state, so that a late event gives
    /// `revision + 1` instead of a new call. The oldest acknowledged ones are forgotten first;
    /// unacknowledged ones are never forgotten. A forgotten call also stops holding the low
    /// watermark, even inside the late-event window. Memory is about one record per call, so the
    /// default is below the 100 000 one might expect. Default: 10 000.
    public var rememberedEmittedCalls: Int = 10_000

    /// How long after its emission an acknowledged call still holds the low watermark, so that a
    /// restart re-reads it and a late event within this window gives the same `revision + 1` as
    /// the live run would. `0` releases a call as soon as its record is acknowledged.
    /// Default: 300 s.
    public var lateEventWindow: Duration = .seconds(300)

    public init() {}

    public init(gracePeriod: Duration = .seconds(5), analysisWait: Duration = .seconds(120), openCallLimit: Duration = .seconds(4 * 3600),
                rememberedEmittedCalls: Int = 10_000, lateEventWindow: Duration = .seconds(300)) {
        self.gracePeriod = gracePeriod
        self.analysisWait = analysisWait
        self.openCallLimit = openCallLimit
        self.rememberedEmittedCalls = rememberedEmittedCalls
        self.lateEventWindow = lateEventWindow
    }
}
