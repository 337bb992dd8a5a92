/// The configuration's durations in milliseconds, computed once.
public struct AssemblerLimits: Sendable, Hashable {
    public var graceMs: Int64
    public var analysisWaitMs: Int64
    public var openCallLimitMs: Int64
    public var lateEventWindowMs: Int64

    public init(_ configuration: AssemblerConfiguration) {
        graceMs = configuration.gracePeriod.milliseconds
        analysisWaitMs = configuration.analysisWait.milliseconds
        openCallLimitMs = configuration.openCallLimit.milliseconds
        lateEventWindowMs = configuration.lateEventWindow.milliseconds
    }
}
