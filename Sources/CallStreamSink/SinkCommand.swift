import ConfigurationReference
import Foundation
import Logging
import Observability
import ServiceLifecycle
import SinkApp

/// `callstream-sink --sink jsonl:DIR | postgres://… | http(s)://… | monitor:PORT`: one sink as a
/// member of its consumer group. Options come from flags (`--sink-batch-size 500`), then the
/// environment (`SINK_BATCH_SIZE`), then the YAML file (`--config-file-path`; default
/// `config/callstream.yaml`, optional), keys `sink.*`, `topics.*` and `kafka.*`.
@main
struct SinkCommand {
    static func main() async {
        await ExecutableMain.run("callstream-sink") {
            // `--sink X` is the documented short form of `--sink-destination X`.
            let arguments = CommandLine.arguments.map { argument in
                argument == "--sink" ? "--sink-destination" : argument.hasPrefix("--sink=") ? "--sink-destination=" + argument.dropFirst("--sink=".count) : argument
            }
            let reader = try await ConfigurationSources(arguments: arguments, environment: ProcessInfo.processInfo.environment).reader()
            let logging = try LogConfiguration(reader: reader)
            logging.bootstrap()
            let logger = logging.logger("callstream.sink")
            let configuration = try SinkConfiguration(reader: reader)
            let program = try buildSink(configuration: configuration, logger: logger) { port in
                print("monitor=http://\(configuration.monitorHost):\(port)/")
            }
            var groupConfiguration = ServiceGroupConfiguration(
                services: program.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
            // Write what was read, commit and leave the group well within the usual 10 s stop timeout.
            groupConfiguration.maximumGracefulShutdownDuration = .seconds(9)
            logger.info("sink starting", metadata: ["topic": "\(program.runner.configuration.topic)", "group": "\(program.runner.configuration.groupID)"])
            try await ServiceGroup(configuration: groupConfiguration).run()
        }
    }
}
