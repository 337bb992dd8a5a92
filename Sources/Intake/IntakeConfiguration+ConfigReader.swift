public import Configuration

extension IntakeConfiguration {
    /// Reads every option from `reader` (keys below; a missing key keeps the default). With the
    /// usual providers, `intake.publishTimeoutMs` is `--intake-publish-timeout-ms` on the command
    /// line and `INTAKE_PUBLISH_TIMEOUT_MS` in the environment. `config/callstream.yaml` documents each.
    ///
    /// - `kafka.bootstrapServers`, `topics.events`, `topics.directory` (shared with the other executables)
    /// - `intake.host`, `intake.port`, `intake.clientId`, `intake.maxBodyBytes`, `intake.maxHeaderBytes`, `intake.idleTimeoutMs`, `intake.publishTimeoutMs`,
    ///   `intake.retryAfterSeconds`, `intake.shutdownTimeoutMs`, `intake.brokerProbeIntervalMs`,
    ///   `intake.brokerProbeTimeoutMs`, `intake.producerQueueMessages`, `intake.producerLingerMs`, `intake.inbound.auditLingerMs`,
    ///   `intake.kafkaProperties` (`name=value` list)
    /// - `intake.signature.required`, `.header`, `.scheme` (`v-d`, `t-v0`, `hex`), `.secrets` (list, secret), `.toleranceSeconds`
    /// - `intake.inbound.lookup` (`from`, `to`), `.defaults` (`name=value` list), `.responseShape` (`flat`,
    ///   `call_inbound`), `.directoryFromTopic`, `.directoryFile`, `.audit`
    public init(reader: ConfigReader) throws(IntakeError) {
        self.init()
        // `--kafka-bootstrap-servers a:9092,b:9092` arrives as a list from the command line (the
        // provider splits on commas), and a string read of it would fall back to the default.
        bootstrapServers = reader.string(forKey: "kafka.bootstrapServers")
            ?? reader.stringArray(forKey: "kafka.bootstrapServers")?.joined(separator: ",") ?? bootstrapServers
        eventsTopic = reader.string(forKey: "topics.events", default: eventsTopic)
        directoryTopic = reader.string(forKey: "topics.directory", default: directoryTopic)

        let intake = reader.scoped(to: "intake")
        host = intake.string(forKey: "host", default: host)
        port = intake.int(forKey: "port", default: port)
        clientID = intake.string(forKey: "clientId", default: clientID)
        maximumBodyBytes = try Self.positive(intake.int(forKey: "maxBodyBytes", default: maximumBodyBytes), "intake.maxBodyBytes")
        maximumHeaderBytes = try Self.positive(intake.int(forKey: "maxHeaderBytes", default: maximumHeaderBytes), "intake.maxHeaderBytes")
        idleTimeout = try Self.milliseconds(intake, "idleTimeoutMs", default: idleTimeout)
        publishTimeout = try Self.milliseconds(intake, "publishTimeoutMs", default: publishTimeout)
        retryAfterSeconds = try Self.positive(intake.int(forKey: "retryAfterSeconds", default: retryAfterSeconds), "intake.retryAfterSeconds")
        shutdownTimeout = try Self.milliseconds(intake, "shutdownTimeoutMs", default: shutdownTimeout)
        brokerProbeInterval = try Self.milliseconds(intake, "brokerProbeIntervalMs", default: brokerProbeInterval)
        brokerProbeTimeout = try Self.milliseconds(intake, "brokerProbeTimeoutMs", default: brokerProbeTimeout)
        producerQueueMessages = try Self.positive(intake.int(forKey: "producerQueueMessages", default: producerQueueMessages), "intake.producerQueueMessages")
        producerLinger = try Self.milliseconds(intake, "producerLingerMs", default: producerLinger, allowZero: true)
        kafkaProperties = try Self.pairs(intake.stringArray(forKey: "kafkaProperties", isSecret: true, default: []), "intake.kafkaProperties")

        let signature = intake.scoped(to: "signature")
        self.signature.isRequired = signature.bool(forKey: "required", default: self.signature.isRequired)
        self.signature.header = signature.string(forKey: "header", default: self.signature.header)
        let scheme = signature.string(forKey: "scheme", default: self.signature.scheme.rawValue)
        guard let parsedScheme = SignatureScheme(rawValue: scheme) else {
            throw .invalidConfiguration("intake.signature.scheme \"\(scheme)\" is not one of \(SignatureScheme.allCases.map(\.rawValue))")
        }
        self.signature.scheme = parsedScheme
        self.signature.secrets = signature.stringArray(forKey: "secrets", isSecret: true, default: []).filter { !$0.isEmpty }
        let tolerance = signature.int(forKey: "toleranceSeconds", default: Int(self.signature.tolerance.components.seconds))
        self.signature.tolerance = .seconds(try Self.positive(tolerance, "intake.signature.toleranceSeconds"))

        let inbound = intake.scoped(to: "inbound")
        let lookup = inbound.string(forKey: "lookup", default: self.inbound.lookup.rawValue)
        guard let parsedLookup = InboundConfiguration.LookupNumber(rawValue: lookup) else {
            throw .invalidConfiguration("intake.inbound.lookup \"\(lookup)\" is not from or to")
        }
        self.inbound.lookup = parsedLookup
        self.inbound.defaults = try Self.pairs(inbound.stringArray(forKey: "defaults", default: []), "intake.inbound.defaults")
        let shape = inbound.string(forKey: "responseShape", default: self.inbound.responseShape.rawValue)
        guard let parsedShape = InboundResponseShape(rawValue: shape) else {
            throw .invalidConfiguration("intake.inbound.responseShape \"\(shape)\" is not one of \(InboundResponseShape.allCases.map(\.rawValue))")
        }
        self.inbound.responseShape = parsedShape
        self.inbound.directoryFromTopic = inbound.bool(forKey: "directoryFromTopic", default: self.inbound.directoryFromTopic)
        let directoryFile = inbound.string(forKey: "directoryFile", default: "")
        self.inbound.directoryFile = directoryFile.isEmpty ? nil : directoryFile
        self.inbound.auditToRawTopic = inbound.bool(forKey: "audit", default: self.inbound.auditToRawTopic)
        self.inbound.auditLinger = try Self.milliseconds(inbound, "auditLingerMs", default: self.inbound.auditLinger, allowZero: true)
    }

    private static func positive(_ value: Int, _ key: String) throws(IntakeError) -> Int {
        guard value > 0 else { throw .invalidConfiguration("\(key) must be positive, got \(value)") }
        return value
    }

    private static func milliseconds(_ reader: ConfigReader, _ key: String, default value: Duration, allowZero: Bool = false) throws(IntakeError) -> Duration {
        let milliseconds = reader.int(forKey: ConfigKey(key), default: Int(value.totalMilliseconds))
        guard milliseconds > 0 || (allowZero && milliseconds == 0) else {
            throw .invalidConfiguration("intake.\(key) must be positive, got \(milliseconds)")
        }
        return .milliseconds(milliseconds)
    }

    /// `name=value` items (values may contain `=`).
    private static func pairs(_ items: [String], _ key: String) throws(IntakeError) -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw .invalidConfiguration("\(key): \"\(item)\" is not name=value")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }
}
