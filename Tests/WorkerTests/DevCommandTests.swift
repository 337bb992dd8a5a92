import Foundation
import Testing
import ProcessTestSupport

/// `callstream dev` as a process: its own embedded broker, intake and worker.
@Suite("callstream dev process with its embedded broker")
struct DevCommandTests {
    @Test func devPostsTheSamplesOverHTTPAndWritesEveryRecord() async throws {
        let records = FileManager.default.temporaryDirectory.appendingPathComponent("dev-records-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: records) }
        let process = Process()
        process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream")
        process.currentDirectoryURL = packageRoot
        process.arguments = ["dev", "--port", "0", "--post-samples", "config/samples", "--exit-when-done", "--records", records.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: await output.fileHandleForReading.dataToEnd(), as: UTF8.self)
        await process.exited()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("bootstrap=127.0.0.1:") && text.contains("url=http://127.0.0.1:"))
        #expect(text.contains("summary: 27 webhooks of 5 calls → 5 records"))
        let lines = try String(contentsOf: records, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
    }
}
