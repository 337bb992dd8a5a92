/// The JSON shape of the inbound webhook's answer (the platform's newer form is unconfirmed).
public enum InboundResponseShape: String, Sendable, Hashable, CaseIterable {
    /// `{"name": "value", …}`: the dynamic variables as a flat object (the platform page's form).
    case flat
    /// `{"call_inbound": {"dynamic_variables": {…}}}`.
    case callInbound = "call_inbound"
}
