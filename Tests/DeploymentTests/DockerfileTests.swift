import Foundation
import Testing

@Suite("docker/Dockerfile (no Docker engine)")
struct DockerfileTests {
    static let heading = "### Building a release"

    let dockerfile: Dockerfile

    init() throws {
        dockerfile = Dockerfile(try repositoryFile("docker/Dockerfile"))
    }

    @Test("The build stage runs the README's release build commands, in order")
    func buildStepsAreTheReadmes() throws {
        let block = try #require(codeBlock(after: Self.heading, in: try repositoryFile("README.md")), "README.md has no code block under \(Self.heading)")
        let readme = block.flatMap(splitCommands)
        #expect(dockerfile.stages.count == 2, "a build stage and a runtime stage")
        #expect(dockerfile.stages.first?.first?.arguments.hasPrefix("swift:") == true, "the build stage starts from the Swift toolchain image")
        #expect(dockerfile.commands(ofStage: 0) == readme, "docker/Dockerfile's build stage runs \(dockerfile.commands(ofStage: 0)); README.md's \(Self.heading) says \(readme)")
        #expect(readme.contains { $0.hasPrefix("swift build -c release") })
    }

    @Test("Every executable product but the benchmarks is installed in the image")
    func everyExecutableIsInstalled() throws {
        let package = try repositoryFile("Package.swift")
        let products = try Regex(#"\.executable\(name: "([a-z-]+)""#)
        let names = package.matches(of: products).map { String($0.output[1].substring ?? "") }.filter { !Self.benchmarkProducts.contains($0) }
        #expect(names.count >= 3)
        let installed = installedExecutables(dockerfile)
        for name in names {
            #expect(installed.contains(name), "\(name) is an executable product of Package.swift but docker/Dockerfile does not install it")
        }
    }

    /// Measurement tools for `make bench`, not part of a deployment.
    static let benchmarkProducts: Set<String> = ["callstream-bench", "callstream-instructions"]

    @Test("The runtime image is slim Debian with librdkafka, runs as a non-root user and checks its health with a real command")
    func runtimeStage() async throws {
        let runtime = try #require(dockerfile.stages.last)
        #expect(runtime.first?.arguments.contains("-slim") == true)
        let installs = dockerfile.commands(ofStage: dockerfile.stages.count - 1).filter { $0.hasPrefix("apt-get install") }.joined(separator: " ")
        for package in ["librdkafka1", "ca-certificates"] {
            #expect(installs.contains(package), "the runtime stage does not install \(package)")
        }
        let user = try #require(runtime.last { $0.keyword == "USER" }, "no USER: the image would run as root")
        #expect(!["root", "0"].contains(user.arguments.split(separator: ":").first.map(String.init) ?? ""))
        let healthcheck = try #require(runtime.first { $0.keyword == "HEALTHCHECK" })
        let command = try #require(healthcheck.arguments.range(of: "CMD ").map { healthcheck.arguments[$0.upperBound...] })
        let words = try #require(try JSONSerialization.jsonObject(with: Data(command.utf8)) as? [String])
        #expect(words.first == "callstream")
        let problems = try await CommandLineChecker(executable: "callstream").problems(Array(words.dropFirst()))
        #expect(problems.isEmpty, "HEALTHCHECK: \(problems)")
    }
}

/// The executables the Dockerfile's build stage installs (`install … .build/release/NAME …`).
func installedExecutables(_ dockerfile: Dockerfile) -> Set<String> {
    Set(dockerfile.commands(ofStage: 0).filter { $0.hasPrefix("install ") }.flatMap { command in
        command.split(separator: " ").filter { $0.hasPrefix(".build/release/") }.map { String($0.dropFirst(".build/release/".count)) }
    })
}
