import Hummingbird

/// Counts requests by route and status and tracks how many are in flight.
struct IntakeMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: IntakeMetrics
    /// Paths counted under their own name; anything else is `other` (bounded label values).
    let routes: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let route = routes.contains(path) ? path : "other"
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: route, status: Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            metrics.recordRequest(route: route, status: Int(error.status.code))
            throw error
        } catch {
            metrics.recordRequest(route: route, status: 500)
            throw error
        }
    }
}
