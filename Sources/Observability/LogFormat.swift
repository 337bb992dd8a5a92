/// How log lines are written: one event per line either way.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// `ts=… level=info label=… msg="…" call_id=… topic=… partition=3 offset=42`.
    case logfmt
    /// `{"ts":"…","level":"info","label":"…","msg":"…","call_id":"…",…}`.
    case json
}
