public import Configuration

extension MetricsServerConfiguration {
    /// Reads `metricsHost` and `metricsPort` from `reader` (scope it first, e.g. to `worker`);
    /// `nil` when the port is negative: no metrics server. `defaultPort` applies when the key is
    /// absent (processes that may share a host take different ones: the worker 9400).
    public static func read(_ reader: ConfigReader, defaultPort: Int = 9400) throws(ObservabilityError) -> MetricsServerConfiguration? {
        var configuration = MetricsServerConfiguration(port: defaultPort)
        configuration.host = reader.string(forKey: "metricsHost", default: configuration.host)
        configuration.port = reader.int(forKey: "metricsPort", default: configuration.port)
        if configuration.port < 0 { return nil }
        guard configuration.port <= 65_535 else { throw ObservabilityError(.invalidConfiguration, "metricsPort must be at most 65535") }
        return configuration
    }
}
