import Hummingbird

/// Makes the router's own refusals (unknown path, wrong method) JSON errors like the intake's.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The intake's routes: the router answers 404 for a known path with another method, which is a 405.
    let knownPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as IntakeError {
            return error.response()
        } catch let error as any HTTPResponseError where error.status == .notFound {
            if knownPaths.contains(request.uri.path) {
                return IntakeError(.methodNotAllowed, "\(request.uri.path) does not take \(request.method)").response()
            }
            return IntakeError(.notFound, "no route for \(request.method) \(request.uri.path)").response()
        } catch let error as any HTTPResponseError where error.status == .methodNotAllowed {
            return IntakeError(.methodNotAllowed, "\(request.uri.path) does not take \(request.method)").response()
        }
    }
}
