/// A request counter's labels: the route (a bounded set of paths) and the status code.
struct RequestCounterKey: Hashable, Sendable {
    let route: String
    let status: Int
}
