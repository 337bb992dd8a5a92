public import CallEvents

/// Assembles the calls of one partition of the raw events topic into records. Pure: no I/O, no
/// clock; the caller feeds events in offset order and performs the actions returned.
///
/// **Time.** Emission is decided by stream time: the largest event time seen in the partition,
/// ticks included. A call is emitted when stream time reaches ``CallState/dueTime(_:)``; calls due
/// together are emitted in the order of their first offsets. A call whose first event is already
/// older than the open-call limit (in stream time) is due at once: it is emitted `incomplete`, and
/// its later events give new revisions. SMS events move stream time but belong to no record.
///
/// **Duplicates.** A delivery equal to an earlier event of the call (byte-identical, or equal after
/// parsing: same members in any order, numbers equal in value; for `mid_call`, same time,
/// `event_type`, `event_data` and extra members, `agent` aside) is counted and otherwise ignored.
///
/// **Offsets.** ``lowWatermark`` is the offset a restarted reader must start from: the smallest
/// offset held by an open call, by an emitted record not yet acknowledged, by an acknowledged call
/// still within ``AssemblerConfiguration/lateEventWindow`` of its emission, or by a dead letter not
/// yet acknowledged; else the next offset. A call that a late event reopens after it stopped
/// holding the watermark holds it again from that event's offset.
///
/// **Restart.** A new assembler started at a committed low watermark rebuilds every call whose
/// first event lies at or after it and emits the same records, byte for byte (a record depends only
/// on the events read and their order). Calls that lay wholly before the watermark are not re-read:
/// a late event for such a call opens a new call holding only the events read from then on; it is
/// emitted as revision 1 from those events (normally `incomplete`, once the open-call limit has
/// passed). The late-event window exists to make that case rare: within it, the restarted reader
/// re-reads the whole call and turns the late event into the same `revision + 1` as the live run.
/// Stream time restarts from the events read, so calls whose events straddle the watermark with
/// far out-of-order times may be emitted at a different point, with the same content.
public struct CallAssembler: Sendable {
    public let topic: String
    public let partition: Int32
    public let configuration: AssemblerConfiguration
    private let limits: AssemblerLimits

    /// The largest event time seen (epoch ms), `nil` before the first timed event.
    public private(set) var streamTimeMs: Int64?
    /// The stream time at which the next scheduled decision (an emission, a release) falls due;
    /// `nil` with none. The decision may turn out to have nothing left to do, which is harmless.
    public var nextDeadlineMs: Int64? { deadlines.first?.due }
    /// The offset that may be committed: see the type's documentation. `nil` before any event.
    public private(set) var lowWatermark: Int64?
    /// One past the last offset received.
    public private(set) var nextOffset: Int64?

    private var calls: [String: CallState] = [:]
    private var deadlines = DeadlineQueue()
    /// The deadline count past which stale entries are swept out (kept at twice the live ones, so
    /// that sweeping costs O(1) per push, amortised).
    private var deadlineSweepThreshold = 256
    private var pins = PinQueue()
    /// Emitted calls in emission order, for forgetting the oldest ones first.
    private var emittedOrder: [(callID: String, revision: Int, firstOffset: Int64)] = []
    private var emittedOrderHead = 0
    private var rememberedCount = 0
    /// Dead letters not yet acknowledged (only these may be released by a receipt).
    private var pendingDeadLetters: Set<Int64> = []
    /// Calls that arrived before any event time: scheduled once stream time is known.
    private var waitingForStreamTime: [String] = []

    public init(topic: String, partition: Int32, configuration: AssemblerConfiguration = AssemblerConfiguration()) {
        self.topic = topic
        self.partition = partition
        self.configuration = configuration
        self.limits = AssemblerLimits(configuration)
    }

    /// Calls not yet emitted (or reopened since).
    public var openCallCount: Int { calls.count - rememberedCount }
    /// Emitted calls still remembered for late events.
    public var rememberedCallCount: Int { rememberedCount }

    /// The state of a call, open or remembered.
    public func call(_ callID: String) -> CallState? { calls[callID] }

    /// Takes the raw message at `offset` (offsets must increase; an offset not above the last one
    /// is a redelivery and is ignored). Undecodable messages become dead letters.
    public mutating func receive(_ raw: [UInt8], offset: Int64) -> [AssemblerAction] {
        guard accept(offset) else { return [] }
        let event: CallEvent
        do {
            event = try CallEvent(decoding: raw)
        } catch {
            return deadLetter(error, raw: raw, offset: offset)
        }
        return process(event, offset: offset)
    }

    /// Takes the message at `offset` already decoded from `raw` (decoding is pure, so a caller
    /// may decode many messages in parallel and feed the results here in offset order); a
    /// decoding failure becomes a dead letter. Same rules as ``receive(_:offset:)``.
    public mutating func receive(_ decoded: consuming Result<CallEvent, CallEventsError>, raw: [UInt8], offset: Int64) -> [AssemblerAction] {
        guard accept(offset) else { return [] }
        switch consume decoded {
        case .success(let event):
            return process(consume event, offset: offset)
        case .failure(let error):
            return deadLetter(error, raw: raw, offset: offset)
        }
    }

    private mutating func deadLetter(_ error: CallEventsError, raw: [UInt8], offset: Int64) -> [AssemblerAction] {
        pins.append(offset)
        pendingDeadLetters.insert(offset)
        updateWatermark()
        return [.deadLetter(DeadLetter(offset: offset, reason: error, raw: raw))]
    }

    /// Takes an already decoded event at `offset` (same rules as ``receive(_:offset:)``).
    public mutating func receive(_ event: consuming CallEvent, offset: Int64) -> [AssemblerAction] {
        guard accept(offset) else { return [] }
        return process(event, offset: offset)
    }

    /// Records that the broker has stored an action's output, so that the low watermark may pass
    /// it. Receipts for superseded revisions or unknown calls are ignored.
    public mutating func acknowledge(_ receipt: AssemblerReceipt) {
        switch receipt {
        case .deadLetter(let offset):
            // A receipt for an offset that is not a pending dead letter must not release a pin
            // that a later call may take at that offset.
            if pendingDeadLetters.remove(offset) != nil { pins.release(offset) }
        case .record(let callID, let revision):
            guard let index = calls.index(forKey: callID),
                  let emission = calls.values[index].acknowledgeEmission(revision: revision) else { break }
            let releaseAt = emission.emittedAt.addingSaturating(limits.lateEventWindowMs)
            if limits.lateEventWindowMs <= 0 || (streamTimeMs ?? .min) >= releaseAt {
                releasePin(at: index)
            } else {
                deadlines.push(.init(due: releaseAt, tie: emission.firstOffset, callID: callID, kind: .release(revision: revision)))
            }
            forgetOldEmittedCalls()
        }
        updateWatermark()
    }

    private mutating func accept(_ offset: Int64) -> Bool {
        if let next = nextOffset, offset < next { return false }
        nextOffset = offset + 1
        return true
    }

    private mutating func process(_ event: consuming CallEvent, offset: Int64) -> [AssemblerAction] {
        if let time = event.eventTimeMs { advanceStreamTime(to: time) }
        switch event.body {
        case .tick, .smsReceived:
            // SMS are not part of the call record (schema 1): they move stream time only.
            break
        case .callStarted, .midCall, .callEnded, .callAnalyzed:
            if let callID = event.callID { receiveCallEvent(event, callID: callID, offset: offset) }
        }
        var actions: [AssemblerAction] = []
        emitDueCalls(into: &actions)
        updateWatermark()
        return actions
    }

    private mutating func receiveCallEvent(_ event: consuming CallEvent, callID: String, offset: Int64) {
        let index: Dictionary<String, CallState>.Index
        if let existing = calls.index(forKey: callID) {
            index = existing
        } else {
            var state = CallState(callID: callID, firstOffset: offset, version: event.webhookVersion, streamTime: streamTimeMs)
            state.pin = offset
            pins.append(offset)
            calls[callID] = state
            index = calls.index(forKey: callID)!
        }
        switch calls.values[index].receive(event, offset: offset, streamTime: streamTimeMs) {
        case .duplicate, .ignored:
            return
        case .reopened:
            rememberedCount -= 1
            if calls.values[index].pinIfUnpinned(offset) { pins.append(offset) }
        case .accepted:
            break
        }
        schedule(at: index, callID: callID)
    }

    /// Pushes the call's due time when it changed.
    private mutating func schedule(at index: Dictionary<String, CallState>.Index, callID: String) {
        switch calls.values[index].updateSchedule(limits) {
        case .unchanged:
            break
        case .due(let due, let tie):
            deadlines.push(.init(due: due, tie: tie, callID: callID, kind: .emit))
            if deadlines.count > deadlineSweepThreshold { sweepStaleDeadlines() }
        case .waitingForStreamTime:
            waitingForStreamTime.append(callID)
        }
    }

    /// Removes the emit deadlines that ``emitDueCalls(into:)`` would skip: the call is gone, or no
    /// longer open with exactly this due time and first offset (a later schedule pushed its own
    /// entry). Without this, each call's superseded open-call-limit deadline stays for that limit
    /// (4 h of stream time): about a hundred bytes per call, growing for hours under steady load.
    private mutating func sweepStaleDeadlines() {
        let calls = self.calls
        deadlines.removeStale { entry in
            guard case .emit = entry.kind else { return false }
            guard let call = calls[entry.callID] else { return true }
            return !(call.phase == .open && call.scheduledDue == entry.due && call.firstOffset == entry.tie)
        }
        deadlineSweepThreshold = max(256, 2 * deadlines.count)
    }

    private mutating func advanceStreamTime(to time: Int64) {
        guard let current = streamTimeMs else {
            streamTimeMs = time
            let waiting = waitingForStreamTime
            waitingForStreamTime = []
            for callID in waiting {
                guard let index = calls.index(forKey: callID) else { continue }
                calls.values[index].adoptStreamTime(time)
                schedule(at: index, callID: callID)
            }
            return
        }
        if time > current { streamTimeMs = time }
    }

    private mutating func emitDueCalls(into actions: inout [AssemblerAction]) {
        guard let now = streamTimeMs else { return }
        var emitted = false
        while let next = deadlines.first, next.due <= now {
            _ = deadlines.popFirst()
            guard let index = calls.index(forKey: next.callID) else { continue }
            switch next.kind {
            case .emit:
                guard let record = calls.values[index].emitIfScheduled(due: next.due, tie: next.tie, at: now, topic: topic, partition: partition) else { continue }
                rememberedCount += 1
                emittedOrder.append((next.callID, record.revision, record.source.firstOffset))
                actions.append(.emit(EmittedRecord(record: record)))
                emitted = true
            case .release(let revision):
                if let pin = calls.values[index].releaseIfAcknowledged(revision: revision, tie: next.tie) {
                    pins.release(pin, through: calls.values[index].lastOffset)
                }
            }
        }
        if emitted { forgetOldEmittedCalls() }
    }

    private mutating func releasePin(at index: Dictionary<String, CallState>.Index) {
        if let pin = calls.values[index].takePin() { pins.release(pin, through: calls.values[index].lastOffset) }
    }

    /// Forgets the oldest acknowledged emitted calls beyond the configured number. An
    /// unacknowledged call at the front stops the sweep: it must stay until the broker confirms.
    private mutating func forgetOldEmittedCalls() {
        sweep: while rememberedCount > configuration.rememberedEmittedCalls, emittedOrderHead < emittedOrder.count {
            let front = emittedOrder[emittedOrderHead]
            guard let index = calls.index(forKey: front.callID) else {
                emittedOrderHead += 1  // already forgotten
                continue
            }
            switch calls.values[index].forgettable(asRevision: front.revision, firstOffset: front.firstOffset) {
            case .stale:
                emittedOrderHead += 1
                continue
            case .unacknowledged:
                break sweep
            case .yes:
                break
            }
            emittedOrderHead += 1
            releasePin(at: index)
            calls.remove(at: index)
            rememberedCount -= 1
        }
        // Compacted as soon as the forgotten front is the larger half: the list's memory follows the
        // remembered calls (a fixed floor of 4,096 let it grow for tens of minutes in the soak).
        if emittedOrderHead > 64, emittedOrderHead * 2 > emittedOrder.count {
            emittedOrder.removeFirst(emittedOrderHead)
            emittedOrderHead = 0
        }
    }

    private mutating func updateWatermark() {
        lowWatermark = pins.minimum() ?? nextOffset
    }
}
