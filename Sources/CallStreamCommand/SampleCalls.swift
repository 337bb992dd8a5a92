import ArgumentParser
import CallEvents
import Foundation

/// Reads the sample webhooks: every line of every `*.jsonl` file, calls in the order they started
/// (as the platform would send them), each call's lines in file order.
enum SampleCalls {
    static func load(from folder: String) throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
        guard !names.isEmpty else { throw ValidationError("no *.jsonl sample calls in \(folder)") }
        let calls = try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
            return data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
        }
        func startTime(_ call: [[UInt8]]) -> Int64 {
            call.compactMap { try? CallEvent(decoding: $0).eventTimeMs }.min() ?? .max
        }
        return calls.map { (startTime($0), $0) }.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }

    /// The distinct calls of the bodies.
    static func callIDs(of bodies: [[UInt8]]) -> Set<String> {
        Set(bodies.compactMap { try? EventKey.extract(from: $0).callID })
    }
}
