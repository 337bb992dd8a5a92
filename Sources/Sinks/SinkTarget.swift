import Kafka

/// What a ``SinkRunner`` feeds: a record sink (records topic) or a live-event sink (raw topic).
enum SinkTarget: Sendable {
    case records(any RecordSink)
    case liveEvents(any LiveEventSink)

    /// One message turned into what the sink takes.
    enum Item: Sendable {
        case record(SinkRecord)
        case event(LiveEvent)
    }

    /// Decodes `message`: `.success(nil)` for what the sink skips (ticks, events of no call),
    /// a failure for what must be dead-lettered.
    func decode(_ message: KafkaMessage) -> Result<Item?, SinkError> {
        let source = SinkSource(topic: message.topic, partition: message.partition, offset: message.offset)
        switch self {
        case .records:
            do throws(SinkError) {
                return .success(.record(try SinkRecord(json: message.value, source: source)))
            } catch {
                return .failure(error)
            }
        case .liveEvents:
            let event = message.headers.string(for: SinkHeader.event)
            if event == "callstream_tick" || event == "call_inbound" { return .success(nil) }
            return .success(LiveEvent(raw: message.value, source: source).map(Item.event))
        }
    }

    /// Hands `items` (all of one kind) to the sink.
    func deliver(_ items: [Item]) async throws {
        switch self {
        case .records(let sink):
            try await sink.write(items.compactMap { if case .record(let record) = $0 { record } else { nil } })
        case .liveEvents(let sink):
            try await sink.receive(items.compactMap { if case .event(let event) = $0 { event } else { nil } })
        }
    }

    /// The sink's start and shutdown hooks.
    var lifecycle: any SinkLifecycle {
        switch self {
        case .records(let sink): sink
        case .liveEvents(let sink): sink
        }
    }
}
