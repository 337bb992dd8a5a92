import Intake
import Logging

/// `callstream-intake`: the webhook intake (configuration reading comes next).
@main
struct IntakeCommand {
    static func main() async throws {
        let logger = Logger(label: "callstream.intake")
        try await buildIntake(configuration: IntakeConfiguration(), logger: logger).runService()
    }
}
