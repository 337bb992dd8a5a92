import CallEvents
import Foundation
import Synchronization

/// Sends realistic call traffic to an intake: ``LoadConfiguration/concurrency`` connections, each
/// posting one call's events at a time in order (with the configured duplicates and swaps), at a
/// target rate (open loop: latency counts from each webhook's scheduled time) or as fast as
/// answers come (closed loop). Every 2xx is written to the acknowledgement log.
public final class LoadGenerator: Sendable {
    /// One webhook to deliver.
    struct Delivery {
        var callID: String
        var event: String
        var body: [UInt8]
        var hash: String
    }

    private struct Shared {
        var nextCall = 0
        var nextSlot = 0
        var stopped = false
    }

    private let configuration: LoadConfiguration
    private let templates: [CallTemplate]
    private let log: AcknowledgementLog?
    private let shared = Mutex(Shared())

    public init(configuration: LoadConfiguration, log: AcknowledgementLog?) throws(ReliabilityError) {
        guard configuration.calls > 0, configuration.concurrency > 0, configuration.eventsPerCall > 0, configuration.maximumAttempts > 0 else {
            throw ReliabilityError(.invalidArgument, "calls, concurrency, events per call and attempts must be positive")
        }
        if let rate = configuration.rate, !(rate > 0) { throw ReliabilityError(.invalidArgument, "the rate must be positive") }
        self.configuration = configuration
        self.templates = try CallTemplate.load(from: configuration.samplesFolder)
        self.log = log
    }

    /// Starts no more calls; the calls in flight are finished.
    public func stop() {
        shared.withLock { $0.stopped = true }
    }

    /// Sends the load; returns when every call is delivered (or given up).
    public func run() async -> LoadReport {
        let started = ContinuousClock.now
        let deadline = configuration.duration.map { started + $0 }
        let lanes = await withTaskGroup(of: (LoadReport, [Duration]).self) { group in
            for lane in 0..<configuration.concurrency {
                group.addTask {
                    var random = SplitMix64(seed: self.configuration.seed &* 0x1000_0001 &+ UInt64(lane))
                    return await self.runLane(started: started, deadline: deadline, random: &random)
                }
            }
            var results: [(LoadReport, [Duration])] = []
            for await result in group { results.append(result) }
            return results
        }
        var report = LoadReport()
        for (lane, _) in lanes { report.merge(lane) }
        report.latency = LatencySummary(lanes.flatMap(\.1))
        report.elapsed = ContinuousClock.now - started
        return report
    }

    /// The next call to send, or `nil` when done.
    private func takeCall(deadline: ContinuousClock.Instant?) -> Int? {
        shared.withLock { shared in
            let expired = deadline.map { ContinuousClock.now >= $0 } ?? false
            guard !shared.stopped, !expired, configuration.duration != nil || shared.nextCall < configuration.calls else { return nil }
            defer { shared.nextCall += 1 }
            return shared.nextCall
        }
    }

    /// When the next webhook is due (open loop), or `nil` (closed loop).
    private func takeSlot(started: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let rate = configuration.rate else { return nil }
        let slot = shared.withLock { shared in
            defer { shared.nextSlot += 1 }
            return shared.nextSlot
        }
        return started + .nanoseconds(Int64(Double(slot) / rate * 1e9))
    }

    private func runLane(started: ContinuousClock.Instant, deadline: ContinuousClock.Instant?, random: inout SplitMix64) async -> (LoadReport, [Duration]) {
        var report = LoadReport()
        var latencies: [Duration] = []
        var pending: [Delivery] = []
        var attempt = 0
        var scheduled: ContinuousClock.Instant?
        while true {
            if pending.isEmpty {
                guard let index = takeCall(deadline: deadline) else { break }
                pending = deliveries(call: index, random: &random)
                report.calls += 1
                report.webhooks += pending.count
            }
            do {
                try await HTTPConnection.with(host: configuration.host, port: configuration.port) { connection in
                    while let delivery = pending.first {
                        if attempt == 0 {
                            scheduled = takeSlot(started: started)
                            if let scheduled, scheduled > .now { try await Task.sleep(until: scheduled, clock: .continuous) }
                        }
                        let sent = attempt == 0 ? (scheduled ?? .now) : .now
                        attempt += 1
                        report.attempts += 1
                        let answer = try await connection.send(path: configuration.path, body: delivery.body)
                        if (200..<300).contains(answer.status) {
                            latencies.append(.now - sent)
                            report.acknowledged += 1
                            log?.append(AcknowledgedWebhook(callID: delivery.callID, event: delivery.event, bodySHA256: delivery.hash, status: answer.status))
                        } else {
                            report.errors[answer.status, default: 0] += 1
                            if answer.status >= 500, attempt < configuration.maximumAttempts {
                                try await Task.sleep(for: min(.seconds(answer.retryAfterSeconds ?? 1), configuration.maximumRetryWait))
                                continue
                            }
                            report.failed += 1
                        }
                        pending.removeFirst()
                        attempt = 0
                        if pending.isEmpty {
                            guard let index = takeCall(deadline: deadline) else { return }
                            pending = deliveries(call: index, random: &random)
                            report.calls += 1
                            report.webhooks += pending.count
                        }
                    }
                }
                if pending.isEmpty { break }
            } catch {
                // Refused, reset or closed: the webhook may or may not be published; send it again.
                report.errors[0, default: 0] += 1
                if attempt >= configuration.maximumAttempts {
                    report.failed += 1
                    pending.removeFirst()
                    attempt = 0
                } else {
                    attempt = max(attempt, 1)
                }
                try? await Task.sleep(for: min(.milliseconds(250 * attempt), configuration.maximumRetryWait))
            }
        }
        return (report, latencies)
    }

    /// One call's webhooks in the order to send: a template chosen by the shares, copied for this
    /// call starting now, some swapped with their successor, some delivered twice.
    func deliveries(call index: Int, random: inout SplitMix64) -> [Delivery] {
        let version: WebhookVersion = random.chance(configuration.v1Share) ? .v1 : .v2
        let korean = random.chance(configuration.koreanShare)
        let matching = templates.filter { $0.webhookVersion == version && $0.isKorean == korean }
        let pool = matching.isEmpty ? templates : matching
        let template = pool[Int(random.next() % UInt64(pool.count))]
        let callID = "\(configuration.callIDPrefix)-\(index)"
        let nowMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        var bodies = template.instantiate(callID: callID, startMs: nowMs, events: configuration.eventsPerCall, transcriptBytes: configuration.transcriptBytes)
        var position = 0
        while position + 1 < bodies.count {
            if random.chance(configuration.outOfOrder) {
                bodies.swapAt(position, position + 1)
                position += 2
            } else {
                position += 1
            }
        }
        var ordered: [[UInt8]] = []
        var repeats: [(at: Int, body: [UInt8])] = []
        for (position, body) in bodies.enumerated() {
            ordered.append(body)
            while let first = repeats.first, first.at <= position { ordered.append(first.body); repeats.removeFirst() }
            if random.chance(configuration.duplicates) { repeats.append((position + 1, body)) }
        }
        ordered += repeats.map(\.body)
        return ordered.map { body in
            let event = (try? JSONValue(parsing: body))?.objectValue?["event"]?.stringValue ?? "?"
            return Delivery(callID: callID, event: event, body: body, hash: InvariantChecker.sha256(body))
        }
    }
}
