import Foundation
import Testing
import ProcessTestSupport

@Suite("callstream broker as a separate process")
struct BrokerCommandTests {
    @Test("kcat -L from another process lists the topics of `callstream broker`; SIGTERM stops it")
    func kcatListsTopics() async throws {
        let executable = callstreamExecutable()
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build callstream first (make build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrapFile = directory.appendingPathComponent("bootstrap")

        let broker = Process()
        broker.executableURL = executable
        broker.arguments = ["broker", "--topic", "calls.raw:6", "--topic", "calls.records:3", "--bootstrap-file", bootstrapFile.path]
        let output = Pipe()
        broker.standardOutput = output
        try broker.run()
        defer { if broker.isRunning { broker.interrupt(); broker.waitUntilExit() } }

        var bootstrap: String?
        for _ in 0..<200 where bootstrap == nil {
            bootstrap = try? String(contentsOf: bootstrapFile, encoding: .utf8)
            if bootstrap == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let servers = try #require(bootstrap, "the broker wrote no bootstrap file")

        let kcat = Process()
        kcat.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        kcat.arguments = ["-b", servers, "-L", "-J", "-m", "10"]
        let listing = Pipe()
        kcat.standardOutput = listing
        try kcat.run()
        let data = await listing.fileHandleForReading.dataToEnd()
        await kcat.exited()
        #expect(kcat.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let topics = (json["topics"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { result, topic in
            result[topic["topic"] as? String ?? ""] = (topic["partitions"] as? [Any])?.count
        }
        #expect(topics["calls.raw"] == 6)
        #expect(topics["calls.records"] == 3)

        broker.terminate()  // SIGTERM
        let stopped = ContinuousClock.now
        while broker.isRunning && ContinuousClock.now - stopped < .seconds(10) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!broker.isRunning, "the broker did not stop within 10 s of SIGTERM")
        #expect(broker.terminationReason == .exit && broker.terminationStatus == 0)
        let printed = String(decoding: await output.fileHandleForReading.dataToEnd(), as: UTF8.self)
        #expect(printed.contains("bootstrap=\(servers)"))
    }
}
