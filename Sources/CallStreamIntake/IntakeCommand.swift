import ConfigurationReference
import Intake
import Logging
import Observability
import ServiceLifecycle

/// `callstream-intake`: the webhook intake. Options come from flags (`--intake-port 8080`), then the
/// environment (`INTAKE_PORT=8080`), then the YAML file (`--config-file-path`, `CONFIG_FILE_PATH`;
/// default `config/callstream.yaml`, optional); `config/callstream.yaml` documents every key.
@main
struct IntakeCommand {
    static func main() async {
        await ExecutableMain.run("callstream-intake") {
            let reader = try await ConfigurationSources.process.reader()

            let logging = try LogConfiguration(reader: reader)
            logging.bootstrap()
            let logger = logging.logger("callstream.intake")
            let configuration = try IntakeConfiguration(reader: reader)
            let intake = try buildIntake(configuration: configuration, logger: logger)
            var groupConfiguration = ServiceGroupConfiguration(
                services: [.init(service: intake)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
            // In-flight requests drain and the producer flushes within this bound; then everything is cancelled.
            groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
            logger.info("intake starting", metadata: ["port": "\(configuration.port)", "topic": "\(configuration.eventsTopic)"])
            try await ServiceGroup(configuration: groupConfiguration).run()
        }
    }
}
