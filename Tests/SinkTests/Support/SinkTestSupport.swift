import CallStreamTesting
import Foundation
import Logging
import Sinks

/// A logger for tests: errors only unless `CALLSTREAM_TEST_LOG` says otherwise.
func testLogger(_ label: String = "test") -> Logger {
    EmbeddedCallStream.defaultLogger(label)
}

/// The package's root directory (for samples and executables).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A fresh empty folder under the system's temporary folder.
func temporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "callstream-\(name)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The sample webhook bodies of one `config/samples/NAME.jsonl` file, in order.
func sampleEvents(_ name: String) throws -> [[UInt8]] {
    let data = try Data(contentsOf: packageRoot.appendingPathComponent("config/samples/\(name).jsonl"))
    return data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
}

/// The `(call_id, revision)` of every line of the JSON Lines files in `directory`; throws when a
/// line is not a record.
func jsonLines(in directory: String) throws -> [(file: String, callID: String, revision: Int)] {
    var lines: [(String, String, Int)] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".jsonl") {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            // Valid JSON by an independent parser, and a record by ours.
            _ = try JSONSerialization.jsonObject(with: Data(line))
            let record = try SinkRecord(json: Array(line))
            lines.append((name, record.callID, record.revision))
        }
    }
    return lines
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// A built executable of this package (`make build` builds them all).
func executable(_ name: String) -> URL {
    if let bin = ProcessInfo.processInfo.environment["CALLSTREAM_BIN"] {
        return URL(fileURLWithPath: bin).deletingLastPathComponent().appendingPathComponent(name)
    }
    return packageRoot.appendingPathComponent(".build/debug/\(name)")
}
