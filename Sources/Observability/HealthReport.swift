/// What `GET /healthz` answers: 200 `{"status":"ok"}` when healthy, else 503 with the problems.
public struct HealthReport: Sendable, Hashable {
    public var problems: [String]

    public var isHealthy: Bool { problems.isEmpty }

    public init(problems: [String] = []) {
        self.problems = problems
    }

    public static let healthy = HealthReport()
}
