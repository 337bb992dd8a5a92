import ConfigurationReference
import Logging
import Observability
import ServiceLifecycle
import Worker

/// `callstream-worker`: one call-assembly worker of the group. Options come from flags
/// (`--kafka-bootstrap-servers …`), then the environment (`KAFKA_BOOTSTRAP_SERVERS`), then the YAML
/// file (`--config-file-path`; default `config/callstream.yaml`, optional), keys `worker.*` and `topics.*`.
@main
struct WorkerCommand {
    static func main() async {
        await ExecutableMain.run("callstream-worker") {
            let reader = try await ConfigurationSources.process.reader()

            let logging = try LogConfiguration(reader: reader)
            logging.bootstrap()
            let logger = logging.logger("callstream.worker")
            let configuration = try WorkerConfiguration(reader: reader)
            let services = WorkerServices(configuration: configuration, logger: logger)
            var groupConfiguration = ServiceGroupConfiguration(
                services: services.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
            // Leave the group, drain, commit and flush well within the usual 10 s stop timeout.
            groupConfiguration.maximumGracefulShutdownDuration = .seconds(9)
            logger.info("worker starting", metadata: [
                "topic": "\(configuration.eventsTopic)", "group": "\(configuration.groupID)", "allocator": "\(HeapTrimmer.allocator ?? "unknown")",
            ])
            try await ServiceGroup(configuration: groupConfiguration).run()
        }
    }
}
