import CallEvents
import Foundation

/// UTF-8 bytes of a string literal.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Decodes or fails the test with the decoder's message.
func decode(_ text: String) throws -> CallEvent {
    try CallEvent(decoding: bytes(text))
}

/// The sample calls in `config/samples`, one array of request bodies per file.
enum Samples {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/samples")

    static func lines(_ name: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
    }

    static func callFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
    }
}
