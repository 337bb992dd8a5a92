import Foundation

/// The test fixtures: `samples/` (a copy of `config/samples`) and `records/` (the expected records).
enum Fixtures {
    static func url(_ subdirectory: String, _ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/\(subdirectory)") else {
            throw FixtureMissing(name: "\(subdirectory)/\(name)")
        }
        return url
    }

    /// The request bodies of a sample call, one per line.
    static func sample(_ name: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: url("samples", name))
        return data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
    }

    /// The expected record bytes (without the file's trailing newline).
    static func record(_ name: String) throws -> [UInt8] {
        var bytes = Array(try Data(contentsOf: url("records", name)))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes
    }

    static let callSamples = [
        "ko-v1-order-inquiry.jsonl",
        "en-v1-appointment-reminder.jsonl",
        "ko-v2-reservation.jsonl",
        "en-v2-account-optout.jsonl",
        "ko-v1-no-answer.jsonl",
    ]

    struct FixtureMissing: Error {
        let name: String
    }
}
