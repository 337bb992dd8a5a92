import ConfigurationReference
import Foundation
import Testing
import Yams

/// One service of docker/compose.yaml (YAML anchors and merge keys resolved).
struct ComposeService {
    var name: String
    var image: String
    var command: [String]
    var environment: [String: String]
    var dependsOn: [String]
    var replicas: Int

    var executable: String { command.first ?? "" }
    var isCallStream: Bool { executable.hasPrefix("callstream") }

    static func load() throws -> [ComposeService] {
        let compose = try #require(try Yams.load(yaml: try repositoryFile("docker/compose.yaml")) as? [String: Any])
        let services = try #require(compose["services"] as? [String: Any])
        return services.keys.sorted().map { name in
            let service = services[name] as? [String: Any] ?? [:]
            let environment = (service["environment"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            let dependsOn = (service["depends_on"] as? [String: Any]).map { Array($0.keys) } ?? (service["depends_on"] as? [String] ?? [])
            let command = service["command"] as? [String] ?? (service["command"] as? String)?.split(separator: " ").map(String.init) ?? []
            let replicas = (service["deploy"] as? [String: Any])?["replicas"] as? Int ?? 1
            return ComposeService(name: name, image: service["image"] as? String ?? "", command: command,
                                  environment: environment, dependsOn: dependsOn, replicas: replicas)
        }
    }
}

@Suite("docker/compose.yaml (no Docker engine)")
struct ComposeTests {
    let services: [ComposeService]

    init() throws {
        services = try ComposeService.load()
    }

    func running(_ executable: String) -> [ComposeService] {
        services.filter { $0.executable == executable }
    }

    @Test("Kafka in KRaft mode, the topic job, two intakes, three workers, PostgreSQL with its sink and the monitor")
    func thePipeline() throws {
        let kafka = try #require(services.first { $0.image.hasPrefix("apache/kafka:") }, "no apache/kafka service")
        #expect(kafka.environment["KAFKA_PROCESS_ROLES"]?.contains("controller") == true, "not KRaft: the broker is not its own controller")
        #expect(!kafka.environment.keys.contains { $0.contains("ZOOKEEPER") })
        #expect(services.contains { Array($0.command.prefix(3)) == ["callstream", "topics", "create"] })
        #expect(running("callstream-intake").map(\.replicas).reduce(0, +) == 2)
        #expect(running("callstream-worker").map(\.replicas).reduce(0, +) == 3)
        #expect(services.contains { $0.image.hasPrefix("postgres:") })
        let sinks = running("callstream-sink").map(\.command)
        #expect(sinks.contains { $0.contains { $0.hasPrefix("postgres://") } }, "no postgres sink")
        #expect(sinks.contains { $0.contains { $0.hasPrefix("monitor:") } }, "no live monitor")
        let names = Set(services.map(\.name))
        for service in services {
            for dependency in service.dependsOn {
                #expect(names.contains(dependency), "\(service.name) depends on \(dependency), which is no service")
            }
        }
    }

    @Test("Every callstream command is a real subcommand with valid flags")
    func callstreamCommands() async throws {
        let checker = try await CommandLineChecker(executable: "callstream")
        for service in running("callstream") {
            let problems = checker.problems(Array(service.command.dropFirst()))
            #expect(problems.isEmpty, "\(service.name): \(problems)")
        }
    }

    @Test("The intakes', workers' and sinks' flags and environment pass `callstream config check`")
    func configuredServices() async throws {
        let configured = running("callstream-intake") + running("callstream-worker") + running("callstream-sink")
        #expect(configured.count >= 5)
        for service in configured {
            // callstream-sink's `--sink X` is `--sink-destination X`.
            let flags = service.command.dropFirst().map { $0 == "--sink" ? "--sink-destination" : $0 }
            let result = try await run("callstream", ["config", "check"] + flags, environment: service.environment)
            #expect(result.status == 0, "\(service.name): \(result.errors)")
        }
    }

    @Test("Every variable given to a CallStream service is an option's")
    func variablesAreOptions() {
        let known = Set(ConfigurationKeys.all.map(\.environmentName) + ["CONFIG_FILE_PATH", "CALLSTREAM_HEALTH_URL"])
        for service in services where service.isCallStream {
            for variable in service.environment.keys.sorted() where !known.contains(variable) {
                Issue.record("\(service.name): \(variable) is no option of config/callstream.yaml")
            }
        }
    }

    @Test("Every CallStream service reaches a listener the broker advertises")
    func bootstrapServers() throws {
        let kafka = try #require(services.first { $0.image.hasPrefix("apache/kafka:") })
        let advertised = (kafka.environment["KAFKA_ADVERTISED_LISTENERS"] ?? "").split(separator: ",").compactMap { $0.split(separator: "/").last.map(String.init) }
        for service in services where service.isCallStream {
            let servers = service.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? ""
            #expect(!servers.isEmpty && servers.split(separator: ",").allSatisfy { advertised.contains(String($0)) },
                    "\(service.name): KAFKA_BOOTSTRAP_SERVERS \(servers) is not one of \(advertised)")
        }
    }

    @Test("Every executable a service runs is in the image")
    func executablesAreInstalled() throws {
        let installed = installedExecutables(Dockerfile(try repositoryFile("docker/Dockerfile")))
        for service in services where service.isCallStream {
            #expect(installed.contains(service.executable), "\(service.name) runs \(service.executable), which docker/Dockerfile does not install")
        }
    }

    @Test("The README's docker compose commands name real services and valid callstream commands")
    func readmeCommands() async throws {
        let checker = try await CommandLineChecker(executable: "callstream")
        let names = Set(services.map(\.name))
        let lines = try repositoryFile("README.md").split(separator: "\n").filter { $0.hasPrefix("docker compose -f docker/compose.yaml ") }
        #expect(lines.count >= 4)
        for line in lines {
            var words = line.prefix { $0 != "#" }.split(separator: " ").map(String.init).dropFirst(4)
            let verb = words.popFirst()
            while words.first?.hasPrefix("-") == true, words.first != "--scale" { words = words.dropFirst() }
            if verb == "up", let scale = words.firstIndex(of: "--scale") {
                let service = words[words.index(after: scale)].split(separator: "=").first.map(String.init) ?? ""
                #expect(names.contains(service), "README: \(line): no service \(service)")
            }
            guard verb == "run" || verb == "exec", let service = words.popFirst() else { continue }
            #expect(names.contains(service), "README: \(line): no service \(service)")
            if words.first == "callstream" {
                let problems = checker.problems(Array(words.dropFirst()))
                #expect(problems.isEmpty, "README: \(line): \(problems)")
            }
        }
    }
}
