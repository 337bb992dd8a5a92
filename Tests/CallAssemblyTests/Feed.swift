import CallAssembly
import CallEvents

/// Drives one assembler the way a worker would: offsets from 0, every action collected, and
/// (unless told otherwise) every action acknowledged at once.
struct Feed {
    var assembler: CallAssembler
    var actions: [AssemblerAction] = []
    var nextOffset: Int64
    var acknowledges: Bool

    init(configuration: AssemblerConfiguration = AssemblerConfiguration(), acknowledges: Bool = true, startOffset: Int64 = 0) {
        assembler = CallAssembler(topic: "callstream.events", partition: 3, configuration: configuration)
        nextOffset = startOffset
        self.acknowledges = acknowledges
    }

    @discardableResult
    mutating func send(_ raw: [UInt8]) -> [AssemblerAction] {
        let produced = assembler.receive(raw, offset: nextOffset)
        nextOffset += 1
        actions += produced
        if acknowledges {
            for action in produced { assembler.acknowledge(action.receipt) }
        }
        return produced
    }

    @discardableResult
    mutating func send(_ events: [[UInt8]]) -> [AssemblerAction] {
        events.flatMap { send($0) }
    }

    @discardableResult
    mutating func tick(_ atMs: Int64) -> [AssemblerAction] {
        send(Tick.encode(atMs: atMs))
    }

    var emitted: [EmittedRecord] {
        actions.compactMap { if case .emit(let emitted) = $0 { emitted } else { nil } }
    }

    var records: [CallRecord] { emitted.map(\.record) }
}

/// The part of a record that must not depend on arrival order: everything but the delivery
/// counts (`events`) and the offsets (`source`).
func arrivalIndependent(_ record: CallRecord) -> [UInt8] {
    var copy = record
    copy.events = .init(received: 0, duplicates: 0, outOfOrder: 0)
    copy.source = .init(topic: "", partition: 0, firstOffset: 0, lastOffset: 0)
    return copy.encoded()
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Far beyond every sample's times and limits.
let farFuture: Int64 = 1_790_000_000_000
