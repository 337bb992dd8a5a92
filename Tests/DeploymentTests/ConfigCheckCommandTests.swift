import ConfigurationReference
import Foundation
import Testing

/// `callstream config check`, run as the built executable.
@Suite("callstream config check (no broker)")
struct ConfigCheckCommandTests {
    @Test("On the shipped file it succeeds and prints every option with its source")
    func shippedFile() async throws {
        let result = try await run("callstream", ["config", "check", "--config-file-path", "config/callstream.yaml", "--intake-port", "9000"],
                                   environment: ["INTAKE_PUBLISH_TIMEOUT_MS": "5000"])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        for option in ConfigurationKeys.all {
            #expect(lines.contains { $0.hasPrefix(option.key + " ") }, "\(option.key) is not printed")
        }
        #expect(lines.contains { $0.hasPrefix("intake.port ") && $0.contains(" 9000 ") && $0.hasSuffix("# flag") })
        #expect(lines.contains { $0.hasPrefix("intake.publishTimeoutMs ") && $0.contains(" 5000 ") && $0.hasSuffix("# environment INTAKE_PUBLISH_TIMEOUT_MS") })
        #expect(lines.contains { $0.hasPrefix("worker.groupId ") && $0.contains("\"callstream-workers\"") && $0.hasSuffix("# file") })
    }

    /// `callstream config check` on a file holding `yaml`.
    func check(yaml: String) async throws -> (path: String, result: ProcessResult) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return (file.path, try await run("callstream", ["config", "check", "--config-file-path", file.path]))
    }

    @Test("Options a file leaves out have the code's defaults")
    func defaults() async throws {
        let (_, result) = try await check(yaml: "log:\n  level: debug\n")
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("log.level ") && $0.contains("\"debug\"") && $0.hasSuffix("# file") })
        #expect(lines.contains { $0.hasPrefix("intake.port ") && $0.contains(" 8080 ") && $0.hasSuffix("# default") })
    }

    @Test("Signature secrets, SASL passwords and passwords in URLs are masked")
    func secretsAreMasked() async throws {
        let result = try await run("callstream", [
            "config", "check", "--intake-inbound-directory-file", "https://reader:url-pass-123@files.example/directory.csv",
        ], environment: [
            "INTAKE_SIGNATURE_SECRETS": "s3cret-new,s3cret-old",
            "WORKER_KAFKA_PROPERTIES": "security.protocol=SASL_SSL,sasl.username=callstream,sasl.password=hunter2-pass",
        ])
        #expect(result.status == 0, "\(result.errors)")
        for secret in ["s3cret-new", "s3cret-old", "hunter2-pass", "url-pass-123"] {
            #expect(!result.output.contains(secret) && !result.errors.contains(secret), "\(secret) is printed")
        }
        #expect(result.output.contains(#"["****", "****"]"#))
        #expect(result.output.contains(#""security.protocol=SASL_SSL", "sasl.username=callstream", "sasl.password=****""#))
        #expect(result.output.contains("https://reader:****@files.example/directory.csv"))
    }

    @Test("A typo in the file fails naming the key, its line and the key meant")
    func typoInFile() async throws {
        let (path, result) = try await check(yaml: "intake:\n  port: 8080\n  publishTimoutMs: 5000\n")
        #expect(result.status != 0)
        #expect(result.errors.contains("\(path):3: unknown key intake.publishTimoutMs (did you mean intake.publishTimeoutMs?)"), "\(result.errors)")
    }

    @Test("Unknown variables and flags, invalid values and a missing named file fail, each named")
    func otherProblems() async throws {
        let result = try await run("callstream", ["config", "check", "--worker-grace-period", "10"], environment: [
            "INTAKE_PUBLISH_TIMOUT_MS": "5000", "INTAKE_SIGNATURE_SCHEME": "md5",
        ])
        #expect(result.status != 0)
        #expect(result.errors.contains("unknown environment variable INTAKE_PUBLISH_TIMOUT_MS (did you mean INTAKE_PUBLISH_TIMEOUT_MS?)"), "\(result.errors)")
        #expect(result.errors.contains("unknown flag --worker-grace-period (did you mean --worker-grace-period-ms?)"), "\(result.errors)")
        #expect(result.errors.contains("intake.signature.scheme \"md5\""), "\(result.errors)")

        let missing = try await run("callstream", ["config", "check", "--config-file-path", "config/no-such-file.yaml"])
        #expect(missing.status != 0 && missing.errors.contains("config/no-such-file.yaml"), "\(missing.errors)")
    }
}
