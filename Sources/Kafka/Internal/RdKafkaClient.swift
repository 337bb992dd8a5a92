import CRdKafka
import Logging

/// Owns one `rd_kafka_t` handle: creation from properties, callbacks, and a bounded destroy.
final class RdKafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    let logger: Logger
    private let context: Unmanaged<ClientContext>

    /// Creates a handle of `type` from `properties`, routing logs, errors and the given callbacks to `context`.
    init(type: rd_kafka_type_t, properties: [String: String], context: ClientContext) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .configuration, message: "rd_kafka_conf_new failed")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(
                    code: .configuration,
                    message: "property \(name)=\(value): \(String(nulTerminated: errorText))"
                )
            }
        }
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, text in
            guard let rk, let context = ClientContext.from(rd_kafka_opaque(rk)) else { return }
            context.logger.log(
                level: Logger.Level(syslog: level),
                "\(text.map { String(cString: $0) } ?? "")",
                metadata: ["librdkafka": "\(facility.map { String(cString: $0) } ?? "")"]
            )
        }
        rd_kafka_conf_set_error_cb(conf) { _, error, reason, opaque in
            guard let context = ClientContext.from(opaque) else { return }
            let code = rd_kafka_resp_err_t(rawValue: error)
            // Transport errors are expected while a broker is down; librdkafka retries them itself.
            let level: Logger.Level = code == RD_KAFKA_RESP_ERR__FATAL ? .error : .warning
            context.logger.log(
                level: level, "librdkafka error: \(reason.map { String(cString: $0) } ?? "")",
                metadata: ["error": "\(String(cString: rd_kafka_err2name(code)))"]
            )
        }
        if context.onDelivery != nil {
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                guard let message, let context = ClientContext.from(opaque) else { return }
                context.onDelivery?(message)
            }
        }
        if context.onRebalance != nil {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, error, partitions, opaque in
                guard let rk, let context = ClientContext.from(opaque) else { return }
                context.onRebalance?(rk, error, partitions)
            }
        }
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            // rd_kafka_new leaves the configuration to us on failure.
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError(code: .configuration, message: String(nulTerminated: errorText))
        }
        self.handle = handle
        self.context = retained
        self.logger = context.logger
    }

    /// Destroys the handle within `timeout`. librdkafka 2.0.2 has been seen to hang in
    /// `rd_kafka_destroy`; when it does, the handle (and its context) is left behind and `false` returned.
    @discardableResult
    func destroy(flags: Int32 = 0, timeout: Duration) async -> Bool {
        let handle = UncheckedSendable(self.handle)
        let context = self.context
        let finished = await Blocking.run(timeout: timeout) {
            rd_kafka_destroy_flags(handle.value, flags)
            context.release()
            return true
        }
        if finished == nil {
            logger.error("librdkafka handle did not shut down in time; leaving it behind", metadata: ["timeout": "\(timeout)"])
        }
        return finished ?? false
    }
}

/// A value that is safe to send because librdkafka's handles are thread-safe.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension Logger.Level {
    /// librdkafka logs with syslog levels.
    init(syslog level: Int32) {
        switch level {
        case ...3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}

extension String {
    /// Decodes a NUL-terminated C buffer filled by librdkafka.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
