import Testing
@testable import CallAssembly
@Suite struct Placeholder { @Test func builds() { #expect(Bool(true)) } }
