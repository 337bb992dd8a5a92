/// A record to produce (key = ``callID``, value = ``bytes``), then acknowledge with ``receipt``.
public struct EmittedRecord: Sendable, Hashable {
    public var record: CallRecord
    /// ``CallRecord/encoded()``.
    public var bytes: [UInt8]

    public init(record: CallRecord) {
        self.record = record
        self.bytes = record.encoded()
    }

    public var callID: String { record.callID }
    public var revision: Int { record.revision }
    public var receipt: AssemblerReceipt { .record(callID: record.callID, revision: record.revision) }
}
