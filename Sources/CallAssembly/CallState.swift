public import CallEvents

/// One call in a partition: a value that takes the call's events and, when due, gives its record.
///
/// It knows nothing of clocks or I/O: the ``CallAssembler`` tells it the stream time and asks for
/// ``dueTime(_:)``; everything it produces is a function of the events given and their order.
public struct CallState: Sendable {
    /// Where the call is in its life.
    public enum Phase: Sendable, Hashable {
        /// Collecting events; not emitted since its last change.
        case open
        /// `revision` was emitted; `acknowledged` once the broker confirmed it.
        case emitted(revision: Int, acknowledged: Bool)
    }

    /// What one delivery did to the call.
    public enum Outcome: Sendable, Hashable {
        /// A new event for an open call.
        case accepted
        /// A repeat of an event already received: counted, nothing else changes.
        case duplicate
        /// A new event for an emitted call: the call is open again and will emit `revision + 1`.
        case reopened
        /// Not a call event (ticks, SMS): nothing changes.
        case ignored
    }

    public let callID: String
    public private(set) var phase: Phase = .open
    /// The last emitted revision, `0` before the first emission.
    public private(set) var revision = 0
    /// Offset of the call's first event.
    public let firstOffset: Int64
    /// Offset of the call's latest accepted (non-duplicate) event.
    public private(set) var lastOffset: Int64
    /// The offset this call holds the low watermark at, if it does.
    var pin: Int64?
    /// The due time last scheduled, so that events that do not change it schedule nothing.
    var scheduledDue: Int64?

    private(set) var firstVersion: WebhookVersion
    private(set) var sawV2 = false
    private(set) var starts: [CallPayload] = []
    private(set) var ends: [CallPayload] = []
    private(set) var analyses: [CallPayload] = []
    private(set) var entries: [MidCallEntry] = []
    private(set) var midAgentID: String?
    private(set) var midAgentVersion: Int64?
    private var arrivals: Int32 = 0
    private(set) var received = 0
    private(set) var duplicates = 0
    private(set) var outOfOrder = 0
    private(set) var optOut = false
    private var maxEventTime: Int64?
    private var minEventTime: Int64?
    /// Stream time when the call (or its first `call_ended`) arrived: the reference for events
    /// that carry no time of their own.
    private var firstArrivalStreamTime: Int64?
    private var endArrivalStreamTime: Int64?
    private var reopenedAtStreamTime: Int64?
    /// Stream time of the last emission.
    public private(set) var emittedAtStreamTime: Int64?

    /// A call first seen at `offset`, when stream time is `streamTime` (nil before any time).
    public init(callID: String, firstOffset: Int64, version: WebhookVersion, streamTime: Int64?) {
        self.callID = callID
        self.firstOffset = firstOffset
        self.lastOffset = firstOffset
        self.firstVersion = version
        self.firstArrivalStreamTime = streamTime
    }

    /// Takes one delivery of one of this call's events (the caller has already moved stream time
    /// to include the event's own time).
    public mutating func receive(_ event: consuming CallEvent, offset: Int64, streamTime: Int64?) -> Outcome {
        let time = event.eventTimeMs
        let isV2 = event.webhookVersion == .v2
        let isNew: Bool
        var optsOut = false
        switch event.takeBody() {
        case .callStarted(let payload):
            isNew = !starts.contains(payload)
            optsOut = payload.optOutSensitiveDataStorage == true
            if isNew { starts.append(payload) }
        case .callEnded(let payload):
            isNew = !ends.contains(payload)
            optsOut = payload.optOutSensitiveDataStorage == true
            if isNew {
                if ends.isEmpty { endArrivalStreamTime = streamTime }
                ends.append(payload)
            }
        case .callAnalyzed(let payload):
            isNew = !analyses.contains(payload)
            optsOut = payload.optOutSensitiveDataStorage == true
            if isNew { analyses.append(payload) }
        case .midCall(let midCall):
            isNew = insert(midCall)
        case .smsReceived, .tick:
            return .ignored
        }
        received += 1
        guard isNew else {
            duplicates += 1
            return .duplicate
        }
        if isV2 { sawV2 = true }
        lastOffset = max(lastOffset, offset)
        if let time {
            if let latest = maxEventTime, time < latest { outOfOrder += 1 }
            maxEventTime = max(maxEventTime ?? time, time)
            minEventTime = min(minEventTime ?? time, time)
        }
        if optsOut { optOut = true }
        if case .emitted = phase {
            phase = .open
            reopenedAtStreamTime = streamTime
            return .reopened
        }
        return .accepted
    }

    /// Inserts a `mid_call` in (time, arrival) order; `false` when it repeats one already held.
    private mutating func insert(_ midCall: consuming MidCallPayload) -> Bool {
        // The agent is copied only while the call has none; the rest is moved into the entry.
        let agentID = midAgentID == nil ? midCall.agentID : nil
        let agentVersion = midCall.agentVersion
        let entry = MidCallEntry(taking: midCall, arrival: arrivals)
        let key = entry.sortKey
        // Events mostly arrive in order: check the end first, then binary search.
        var index = entries.count
        if let last = entries.last, last.sortKey > key {
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].sortKey <= key { low = middle + 1 } else { high = middle }
            }
            index = low
        }
        var probe = index - 1
        while probe >= 0, entries[probe].sortKey == key {
            if entries[probe].sameEvent(as: entry) { return false }
            probe -= 1
        }
        if midAgentID == nil { midAgentID = agentID }
        if midAgentVersion == nil { midAgentVersion = agentVersion }
        arrivals += 1
        if index == entries.count {
            // A typical call has tens of events: skip the first few regrowths.
            if entries.isEmpty { entries.reserveCapacity(8) }
            entries.append(entry)
        } else {
            entries.insert(entry, at: index)
        }
        return true
    }

    /// Gives the call a stream-time reference when it arrived before stream time was known.
    mutating func adoptStreamTime(_ streamTime: Int64) {
        if firstArrivalStreamTime == nil { firstArrivalStreamTime = streamTime }
        if endArrivalStreamTime == nil, !ends.isEmpty { endArrivalStreamTime = streamTime }
    }

    /// The stream time at which the call must be emitted, or `nil` when it is not open (or when no
    /// time is known yet).
    ///
    /// - Ended: the end time (or the call's latest event time, when later) plus the grace period;
    ///   for v2 without `call_analyzed`, plus the analysis wait instead (when longer).
    /// - Not ended: the earliest event time plus the open-call limit (then `incomplete`).
    /// - Reopened by a late event: no earlier than the grace period after it arrived, so that a
    ///   burst of stragglers gives one new revision.
    public func dueTime(_ limits: AssemblerLimits) -> Int64? {
        guard phase == .open else { return nil }
        var due: Int64
        if !ends.isEmpty {
            guard let end = latest(\.endMs) ?? endArrivalStreamTime else { return nil }
            // Count from the call's latest event when it is later than the end (v2 call_analyzed
            // is produced after the end): otherwise an early call_analyzed would make the call due
            // before its own stragglers had their grace period.
            let reference = max(end, maxEventTime ?? end)
            let wait = sawV2 && analyses.isEmpty ? max(limits.graceMs, limits.analysisWaitMs) : limits.graceMs
            due = reference.addingSaturating(wait)
        } else {
            guard let start = minEventTime ?? firstArrivalStreamTime else { return nil }
            due = start.addingSaturating(limits.openCallLimitMs)
        }
        if let reopened = reopenedAtStreamTime {
            due = max(due, reopened.addingSaturating(limits.graceMs))
        }
        return due
    }

    /// Emits the next revision at stream time `streamTime`.
    public mutating func emit(at streamTime: Int64, topic: String, partition: Int32) -> CallRecord {
        revision += 1
        phase = .emitted(revision: revision, acknowledged: false)
        emittedAtStreamTime = streamTime
        reopenedAtStreamTime = nil
        scheduledDue = nil
        return record(revision: revision, topic: topic, partition: partition)
    }

    /// Records the broker's acknowledgement of `revision`; `false` when it is not the revision
    /// last emitted (a newer one is pending) or was already acknowledged.
    public mutating func acknowledge(revision acknowledged: Int) -> Bool {
        guard case .emitted(let emitted, false) = phase, emitted == acknowledged else { return false }
        phase = .emitted(revision: emitted, acknowledged: true)
        return true
    }

    /// ``acknowledge(revision:)``, returning the emission's stream time and the call's first
    /// offset when it applied.
    mutating func acknowledgeEmission(revision: Int) -> (emittedAt: Int64, firstOffset: Int64)? {
        guard acknowledge(revision: revision) else { return nil }
        return (emittedAtStreamTime ?? .min, firstOffset)
    }

    /// What ``updateSchedule(_:)`` found.
    enum ScheduleChange: Equatable {
        /// Nothing to push: not open, or the due time is the one already scheduled.
        case unchanged
        /// Push this due time; `tie` orders calls due together (the first offset).
        case due(Int64, tie: Int64)
        /// Open, but no time is known yet to compute a due time from.
        case waitingForStreamTime
    }

    /// Recomputes the due time and remembers it as scheduled. Mutating so that the assembler can
    /// call it in place inside its dictionary (reading a large struct out of it copies it).
    mutating func updateSchedule(_ limits: AssemblerLimits) -> ScheduleChange {
        guard let due = dueTime(limits) else {
            return phase == .open && scheduledDue == nil ? .waitingForStreamTime : .unchanged
        }
        guard due != scheduledDue else { return .unchanged }
        scheduledDue = due
        return .due(due, tie: firstOffset)
    }

    /// Emits when the call is still open with exactly this scheduled due time (else the deadline
    /// entry is stale). `tie` is the first offset the entry was made for: a call forgotten and
    /// started again under the same id is another call.
    mutating func emitIfScheduled(due: Int64, tie: Int64, at streamTime: Int64, topic: String, partition: Int32) -> CallRecord? {
        guard phase == .open, scheduledDue == due, firstOffset == tie else { return nil }
        return emit(at: streamTime, topic: topic, partition: partition)
    }

    /// Gives up the watermark hold, returning the offset that was held.
    mutating func takePin() -> Int64? {
        defer { pin = nil }
        return pin
    }

    /// Holds the watermark at `offset` unless a hold is already in place; `true` when it took it.
    mutating func pinIfUnpinned(_ offset: Int64) -> Bool {
        guard pin == nil else { return false }
        pin = offset
        return true
    }

    /// Gives up the watermark hold if `revision` is still the latest and acknowledged.
    mutating func releaseIfAcknowledged(revision: Int, tie: Int64) -> Int64? {
        guard phase == .emitted(revision: revision, acknowledged: true), firstOffset == tie else { return nil }
        return takePin()
    }

    /// Whether the call may be forgotten as the emission of `revision`.
    enum Forgettable {
        /// Reopened or re-emitted since: the entry is out of date.
        case stale
        /// Still waiting for the broker: must be kept.
        case unacknowledged
        case yes
    }

    func forgettable(asRevision expected: Int, firstOffset expectedOffset: Int64) -> Forgettable {
        guard case .emitted(let revision, let acknowledged) = phase, revision == expected, firstOffset == expectedOffset else {
            return .stale
        }
        return acknowledged ? .yes : .unacknowledged
    }

    /// The value of a field sent by several events: the latest in the order call_started <
    /// call_ended < call_analyzed, and among events of one kind the latest arrival.
    func latest<Value>(_ field: (CallPayload) -> Value?) -> Value? {
        for payload in analyses.reversed() { if let value = field(payload) { return value } }
        for payload in ends.reversed() { if let value = field(payload) { return value } }
        for payload in starts.reversed() { if let value = field(payload) { return value } }
        return nil
    }

    var webhookVersion: WebhookVersion { sawV2 ? .v2 : firstVersion }
    var eventCounts: CallRecord.EventCounts { .init(received: received, duplicates: duplicates, outOfOrder: outOfOrder) }
    var hasEnded: Bool { !ends.isEmpty }
}
