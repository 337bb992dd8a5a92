public import MonitorSink
public import ServiceLifecycle
public import Sinks

/// What `callstream-sink` runs: the services in `ServiceGroup` order, the runner (for its
/// counters) and, for `monitor:PORT`, the monitor's sink.
public struct SinkProgram: Sendable {
    public let services: [any Service]
    public let runner: SinkRunner
    public let monitor: MonitorSink?
}
