/// The intake's routes.
public enum IntakeRoute {
    public static let callEvents = "/webhooks/vox/call-events"
    public static let inbound = "/webhooks/vox/inbound"
    public static let health = "/healthz"
    public static let readiness = "/readyz"
    public static let metrics = "/metrics"
}
