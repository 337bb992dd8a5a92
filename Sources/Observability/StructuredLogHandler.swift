import Foundation
public import Logging
import Synchronization

/// A swift-log handler writing one logfmt or JSON line per event: time (UTC, ms), level, logger
/// label, message, then the metadata sorted by key (`call_id`, `offset`, `partition`, `topic`, …).
public struct StructuredLogHandler: LogHandler {
    /// Where finished lines go (one call per line, newline included).
    public typealias Output = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    public let format: LogFormat
    private let output: Output

    public init(label: String, format: LogFormat, level: Logger.Level = .info, output: @escaping Output = Self.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let fields = [("ts", Self.timestamp()), ("level", event.level.rawValue), ("label", label), ("msg", "\(event.message)")]
            + all.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        output(format == .json ? Self.json(fields) : Self.logfmt(fields))
    }

    /// Writes to standard error, a line at a time.
    public static let standardError: Output = { line in
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }

    private static let lock = Mutex<Void>(())

    static func logfmt(_ fields: [(String, String)]) -> String {
        var line = ""
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += " " }
            line += key
            line += "="
            let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 }
            if needsQuotes {
                line += "\""
                JSONText.appendQuoted(value, to: &line)
                line += "\""
            } else {
                line += value
            }
        }
        return line + "\n"
    }

    static func json(_ fields: [(String, String)]) -> String {
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += "," }
            line += JSONText.quoted(key)
            line += ":"
            line += JSONText.quoted(value)
        }
        return line + "}\n"
    }

    /// Now as `2026-04-12T09:26:40.123Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let ms = Int(milliseconds % 1000)
        let fraction = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
