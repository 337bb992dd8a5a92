import ArgumentParser

/// `callstream`: the operators' command line.
@main
struct CallStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callstream",
        abstract: "Turns vox.ai call webhooks into complete call records over Kafka.",
        subcommands: [
            BrokerCommand.self, ConfigCommand.self, DevCommand.self, DirectoryCommand.self, HealthCommand.self, LoadCommand.self,
            PostSamplesCommand.self, ReplayCommand.self, StatusCommand.self, TailCommand.self, TopicsCommand.self, VerifyCommand.self,
        ]
    )
}
