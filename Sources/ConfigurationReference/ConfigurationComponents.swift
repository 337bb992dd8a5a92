public import Configuration
import Intake
import Observability
import SinkApp
import Worker

/// Every part of CallStream that reads options, as the function that reads them. `callstream config
/// check` runs each (so invalid values fail there as they would at start), and the reference test runs
/// each to learn which keys the code reads. A new component with options adds its line here.
public enum ConfigurationComponents {
    public static let all: [(name: String, read: @Sendable (ConfigReader) throws -> Void)] = [
        ("log", { _ = try LogConfiguration(reader: $0) }),
        ("intake", { _ = try IntakeConfiguration(reader: $0) }),
        ("worker", { _ = try WorkerConfiguration(reader: $0) }),
        ("sink", { _ = try SinkConfiguration(reader: $0) }),
    ]

    /// Runs every component on `providers` and returns what each key was read as (the last read of
    /// a key wins) and each component's refusal, as `component: message`.
    public static func readAll(_ providers: [any ConfigProvider]) -> (reads: [String: AccessEvent], errors: [String]) {
        let recorder = AccessRecorder()
        let reader = ConfigReader(providers: providers, accessReporter: recorder)
        var errors: [String] = []
        for component in all {
            do {
                try component.read(reader)
            } catch {
                errors.append("\(component.name): \(error)")
            }
        }
        return (recorder.reads, errors)
    }
}
