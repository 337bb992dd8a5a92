import CallStreamTesting
import Foundation
import Observability
import MonitorSink
import ServiceLifecycle
import SinkApp
import Sinks
import Testing

@Suite("Live monitor")
struct MonitorSinkTests {
    @Test func aCallIsLiveWithItsLatestMessageAndNodeThenMovesToTheEndedList() async throws {
        let sink = MonitorSink()
        let events = try sampleEvents("en-v1-appointment-reminder")
        try await SinkFeeder.feed(events: Array(events.prefix(6)), to: sink)
        let live = try #require(sink.calls.first)
        #expect(live.state == "live")
        #expect(live.flowNode == "Reschedule")
        #expect(live.lastMessageRole == "agent" && live.lastMessage?.hasPrefix("Sure — I have 2:30 PM") == true)

        try await SinkFeeder.feed(events: Array(events.suffix(2)), to: sink, start: false)
        let ended = try #require(sink.calls.first)
        #expect(ended.state == "ended" && ended.callID == live.callID)
        // A redelivered event of an ended call does not bring it back to life.
        try await SinkFeeder.feed(events: [events[3]], to: sink, start: false)
        #expect(sink.calls.map(\.state) == ["ended"])
    }
}

@Suite("Live monitor page in headless Chromium on the embedded broker", .serialized)
struct MonitorPageTests {
    /// The rows of `<tbody id="NAME">` in a dumped DOM.
    private static func section(_ html: String, _ name: String) -> String {
        guard let start = html.range(of: "<tbody id=\"\(name)\">"), let end = html.range(of: "</tbody>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func theBrowserShowsLiveCallsWithTheirLatestMessageAndEndedCallsMove() async throws {
        let appointment = try sampleEvents("en-v1-appointment-reminder")
        let order = try sampleEvents("ko-v1-order-inquiry")
        let appointmentID = try #require(LiveEvent(raw: appointment[0])?.callID)
        let orderID = try #require(LiveEvent(raw: order[0])?.callID)
        let artifacts = packageRoot.appendingPathComponent(".build/artifacts").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)

        try await EmbeddedCallStream.run { stream in
            var configuration = SinkConfiguration(destination: "monitor:0")
            configuration.runner = stream.runnerConfiguration(group: "monitor")
            configuration.eventsTopic = stream.eventsTopic
            configuration.metricsServer = MetricsServerConfiguration(host: "127.0.0.1", port: 0)
            let port = AsyncStream.makeStream(of: Int.self)
            let program = try buildSink(configuration: configuration, logger: stream.logger) { port.continuation.yield($0) }
            let monitor = try #require(program.monitor)
            let group = ServiceGroup(services: program.services, gracefulShutdownSignals: [], logger: stream.logger)
            let running = Task { try await group.run() }
            var ports = port.stream.makeAsyncIterator()
            let url = "http://127.0.0.1:\(try #require(await ports.next()))/"

            // Both calls in progress: the appointment up to its second message, the order before its end.
            try await stream.publish(events: Array(appointment.prefix(5)) + Array(order.prefix(5)))
            #expect(await eventually { monitor.calls.count == 2 })

            // The page connects; then the next message arrives live, over Server-Sent Events.
            let dump1 = NSTemporaryDirectory() + "monitor-live.html"
            let browser1 = try HeadlessChromium.start(url + "?settleMs=6000", arguments: ["--dump-dom"], output: dump1)
            #expect(await eventually(timeout: .seconds(30)) { monitor.subscriberCount > 0 })
            try await stream.publish(events: [appointment[5]])
            try await HeadlessChromium.wait(browser1)
            let live1 = Self.section(try String(contentsOfFile: dump1, encoding: .utf8), "live")
            #expect(live1.contains("data-call-id=\"\(appointmentID)\""))
            #expect(live1.contains("data-call-id=\"\(orderID)\""))
            #expect(live1.contains("Sure — I have 2:30 PM or 4:00 PM"), "the message that arrived while the page was open")
            #expect(live1.contains("Reschedule"), "the flow node")

            // The order ends while a second page is open: it moves to the ended list.
            let dump2 = NSTemporaryDirectory() + "monitor-ended.html"
            let pagesBefore = monitor.subscriberCount
            let browser2 = try HeadlessChromium.start(url + "?settleMs=6000", arguments: ["--dump-dom"], output: dump2)
            #expect(await eventually(timeout: .seconds(30)) { monitor.subscriberCount > pagesBefore })
            try await stream.publish(events: [order[5]])
            try await HeadlessChromium.wait(browser2)
            let html2 = try String(contentsOfFile: dump2, encoding: .utf8)
            #expect(Self.section(html2, "ended").contains("data-call-id=\"\(orderID)\""))
            #expect(!Self.section(html2, "live").contains("data-call-id=\"\(orderID)\""))
            #expect(Self.section(html2, "live").contains("data-call-id=\"\(appointmentID)\""))

            let screenshot = artifacts + "/monitor.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            let browser3 = try HeadlessChromium.start(url + "?settleMs=1500", arguments: ["--screenshot=\(screenshot)"], output: NSTemporaryDirectory() + "monitor-shot.log")
            try await HeadlessChromium.wait(browser3)
            #expect(FileManager.default.fileExists(atPath: screenshot))

            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
