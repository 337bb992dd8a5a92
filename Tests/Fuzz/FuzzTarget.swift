// The libFuzzer target over event decoding and call assembly (`make fuzz`). Not part of the
// package build: the Makefile compiles CallEvents and CallAssembly with -sanitize=fuzzer and links
// this file against them.
import CallAssembly
import CallEvents

/// One input: decoded as one webhook (JSON parser, event decoding, the intake's key scanner), then
/// split into lines and fed to an assembler as a partition's messages, flushed by a far tick, with
/// every record encoded and every action acknowledged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? JSONValue(parsing: bytes)
    _ = try? CallEvent(decoding: bytes)
    _ = try? EventKey.extract(from: bytes)

    var assembler = CallAssembler(topic: "fuzz", partition: 0)
    var offset: Int64 = 0
    var emitted = 0
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
        for action in assembler.receive(Array(line), offset: offset) {
            if case .emit(let record) = action { emitted += record.bytes.count > 0 ? 1 : 0 }
            assembler.acknowledge(action.receipt)
        }
        offset += 1
    }
    for action in assembler.receive(Tick.encode(atMs: 4_000_000_000_000), offset: offset) {
        assembler.acknowledge(action.receipt)
    }
    return 0
}
