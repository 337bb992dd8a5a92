import Kafka

/// What `callstream status` reports for one consumer group (encoded as is by `--json`).
struct GroupStatus: Encodable, Sendable {
    struct Member: Encodable, Sendable {
        /// The broker's member id; `nil` when the member is known only from its commits.
        var memberID: String?
        /// Client id, host (and pid, from commits): who the member is.
        var client: String
        var partitions: [String]
    }

    struct Partition: Encodable, Sendable {
        var topic: String
        var partition: Int32
        /// The group's committed offset; `nil` when it never committed this partition.
        var committed: Int64?
        var highWatermark: Int64
        /// `highWatermark - committed`, or `highWatermark - lowWatermark` without a commit (the
        /// group starts at the earliest offset).
        var lag: Int64
        /// Who made the last commit (its commit metadata), when known.
        var committedBy: String?
    }

    var group: String
    /// The brokers' group state (`Stable`, `Empty`, …); `nil` when they cannot describe groups.
    var state: String?
    /// `brokers` (DescribeGroups) or `commits` (who committed last, where the brokers, as the
    /// embedded one, cannot list members).
    var membersFrom: String
    var members: [Member]
    var partitions: [Partition]
    var totalLag: Int64
    var totalCommitted: Int64
    var totalHighWatermark: Int64

    init(group: String, description: KafkaGroupDescription?, topics: [KafkaClusterMetadata.Topic], committed: [KafkaCommittedOffset]) {
        self.group = group
        self.state = description?.state
        let byPartition = Dictionary(committed.map { ($0.topicPartition, $0) }) { first, _ in first }
        partitions = topics.flatMap { topic in
            topic.partitions.map { partition in
                let entry = byPartition[KafkaTopicPartition(topic: topic.name, partition: partition.id)]
                let start = entry?.offset ?? partition.lowWatermark
                return Partition(
                    topic: topic.name, partition: partition.id, committed: entry?.offset, highWatermark: partition.highWatermark,
                    lag: max(0, partition.highWatermark - start), committedBy: entry.flatMap { $0.metadata.isEmpty ? nil : $0.metadata }
                )
            }
        }
        if let description {
            membersFrom = "brokers"
            members = description.members.map {
                Member(memberID: $0.memberID, client: "\($0.clientID) \($0.clientHost)", partitions: $0.assignment.map(\.description))
            }
        } else {
            membersFrom = "commits"
            var byCommitter: [String: [String]] = [:]
            for partition in partitions { if let who = partition.committedBy { byCommitter[who, default: []].append("\(partition.topic)[\(partition.partition)]") } }
            members = byCommitter.sorted { $0.key < $1.key }.map { Member(memberID: nil, client: $0.key, partitions: $0.value) }
        }
        totalLag = partitions.reduce(0) { $0 + $1.lag }
        totalCommitted = partitions.reduce(0) { $0 + ($1.committed ?? 0) }
        totalHighWatermark = partitions.reduce(0) { $0 + $1.highWatermark }
    }

    /// The human-readable table.
    var text: String {
        var lines = ["group \(group)" + (state.map { " (\($0))" } ?? "") + ": \(members.count) member\(members.count == 1 ? "" : "s")"
            + (membersFrom == "commits" ? " (from their last commits: the brokers cannot list members)" : "")]
        for member in members {
            lines.append("  member \(member.memberID.map { "\($0) " } ?? "")\(member.client): \(member.partitions.isEmpty ? "no partitions" : member.partitions.joined(separator: " "))")
        }
        let header = ["TOPIC", "PARTITION", "COMMITTED", "HIGH", "LAG"]
        var rows = partitions.map { [$0.topic, String($0.partition), $0.committed.map(String.init) ?? "-", String($0.highWatermark), String($0.lag)] }
        rows.append(["total", "", String(totalCommitted), String(totalHighWatermark), String(totalLag)])
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let padded = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            lines.append("  " + String(padded.reversed().drop { $0 == " " }.reversed()))
        }
        return lines.joined(separator: "\n")
    }
}
