import Configuration
import Logging
import Observability
import Synchronization
import Testing

@Suite("Structured log lines")
struct StructuredLogHandlerTests {
    private static func line(_ format: LogFormat, _ body: (Logger) -> Void) -> String {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "callstream.test") { label in
            StructuredLogHandler(label: label, format: format, level: .debug) { line in lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "topic"] = "callstream.events"
        body(logger)
        return lines.withLock { $0.joined() }
    }

    @Test func logfmtQuotesValuesWithSpacesAndSortsKeys() {
        let text = Self.line(.logfmt) { $0.info("record emitted", metadata: ["partition": "3", "call_id": "c-1", "offset": "42"]) }
        #expect(text.hasSuffix(#" level=info label=callstream.test msg="record emitted" call_id=c-1 offset=42 partition=3 topic=callstream.events"# + "\n"))
        #expect(text.hasPrefix("ts=20"))
    }

    @Test func jsonIsOneObjectPerLineWithEscapes() {
        let text = Self.line(.json) { $0.warning("a \"quoted\"\nline", metadata: ["call_id": "c-2"]) }
        #expect(text.hasSuffix(#","level":"warning","label":"callstream.test","msg":"a \"quoted\"\nline","call_id":"c-2","topic":"callstream.events"}"# + "\n"))
        #expect(text.split(separator: "\n").count == 1)
    }

    @Test func levelsBelowTheHandlersAreNotWritten() {
        let text = Self.line(.json) { $0.trace("hidden") }
        #expect(text.isEmpty)
    }

    @Test func configurationReadsFormatAndLevelAndRejectsUnknownOnes() throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: ["log.format": "json", "log.level": "debug"]))
        let configuration = try LogConfiguration(reader: reader)
        #expect(configuration == LogConfiguration(level: .debug, format: .json))
        #expect(throws: ObservabilityError.self) {
            try LogConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: ["log.format": "xml"])))
        }
        #expect(try LogConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: [:]))) == LogConfiguration())
    }

    @Test func metricsPortNegativeMeansNoServer() throws {
        #expect(try MetricsServerConfiguration.read(ConfigReader(provider: InMemoryProvider(values: ["metricsPort": -1]))) == nil)
        #expect(try MetricsServerConfiguration.read(ConfigReader(provider: InMemoryProvider(values: [:]))) == MetricsServerConfiguration())
        #expect(throws: ObservabilityError.self) {
            try MetricsServerConfiguration.read(ConfigReader(provider: InMemoryProvider(values: ["metricsPort": 70000])))
        }
    }
}
