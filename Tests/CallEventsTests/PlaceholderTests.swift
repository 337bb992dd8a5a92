import Testing
@testable import CallEvents
@Suite struct Placeholder { @Test func builds() { #expect(Bool(true)) } }
