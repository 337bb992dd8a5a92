import Foundation

/// The body of a daemon's `main()`: an error that ends it (a port already in use, an invalid
/// option) is printed as one line on standard error and the process exits with status 1, instead
/// of Swift's crash report for an error thrown from `main`.
public enum ExecutableMain {
    /// Runs `body`; on an error prints `NAME: error: DESCRIPTION` to standard error and exits 1.
    public static func run(_ name: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            FileHandle.standardError.write(Data("\(name): error: \(error)\n".utf8))
            exit(1)
        }
    }
}
