public import Configuration
public import Logging

/// The process's logging: level and line format, from `log.level` and `log.format`.
public struct LogConfiguration: Sendable, Hashable {
    /// The lowest level written. Default: `info` (no transcript text or phone numbers at any level).
    public var level: Logger.Level = .info
    /// `logfmt` or `json`. Default: `logfmt`.
    public var format: LogFormat = .logfmt

    public init(level: Logger.Level = .info, format: LogFormat = .logfmt) {
        self.level = level
        self.format = format
    }

    /// Reads `log.level` (`trace` … `critical`) and `log.format` (`logfmt`, `json`).
    public init(reader: ConfigReader) throws(ObservabilityError) {
        self.init()
        let levelName = reader.string(forKey: "log.level", default: level.rawValue)
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ObservabilityError(.invalidConfiguration, "log.level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.level = level
        let formatName = reader.string(forKey: "log.format", default: format.rawValue)
        guard let format = LogFormat(rawValue: formatName) else {
            throw ObservabilityError(.invalidConfiguration, "log.format must be logfmt or json")
        }
        self.format = format
    }

    /// Makes every `Logger` of the process write structured lines at ``level`` (call once, first).
    public func bootstrap() {
        let format = format
        let level = level
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
    }

    /// A logger labelled `label` at ``level`` (for processes that do not bootstrap).
    public func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
