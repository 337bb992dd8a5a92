import ArgumentParser

/// `callstream`: the operators' command line.
@main
struct CallStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callstream",
        abstract: "Turns vox.ai call webhooks into complete call records over Kafka.",
        subcommands: [
            BrokerCommand.self, DevCommand.self, DirectoryCommand.self, LoadCommand.self, ReplayCommand.self, TailCommand.self,
            TopicsCommand.self, VerifyCommand.self,
        ]
    )
}
