import HTTPTypes
import Hummingbird
import Logging
import Prometheus

/// Observes every request once: logs one line at `info` (method, path, status, duration) and records it in the
/// registry (`lightbox_http_requests_total` by route, method and status class; `lightbox_http_request_duration_seconds`
/// by route and method).
struct RequestObservationMiddleware: RouterMiddleware {
    typealias Context = LightboxRequestContext
    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "lightbox", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests by route, method and status class."
        )
    }
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "lightbox", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "HTTP request durations by route and method."
        )
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            observe(request, context: context, status: response.status.code, elapsed: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            observe(request, context: context, status: status, elapsed: ContinuousClock.now - start)
            throw error
        }
    }

    private func observe(_ request: Request, context: Context, status: Int, elapsed: Duration) {
        let nanoseconds = Int64(elapsed / .nanoseconds(1))
        context.logger.info(
            "request",
            metadata: [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "http.status": "\(status)",
                "duration_ms": "\(Double(nanoseconds) / 1e6)",
            ]
        )
        // Unmatched paths share one label so that scanners cannot blow up the metric's cardinality.
        let route = context.endpointPath ?? "unmatched"
        let labels = [("route", route), ("method", request.method.rawValue), ("status", "\(status / 100)xx")]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: Array(labels.prefix(2)), buckets: Self.buckets)
            .recordNanoseconds(nanoseconds)
    }
}
