import HTTPTypes
import Hummingbird
import Logging
import Prometheus

/// Counts requests and records their durations per route, method and status class, straight into the registry
/// (`lightbox_http_requests_total`, `lightbox_http_request_duration_seconds`).
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
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
            record(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        // Unmatched paths share one label so that scanners cannot blow up the metric's cardinality.
        let route = context.endpointPath ?? "unmatched"
        let labels = [("route", route), ("method", request.method.rawValue), ("status", "\(status / 100)xx")]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: Array(labels.prefix(2)), buckets: Self.buckets)
            .recordNanoseconds(Int64((ContinuousClock.now - start) / .nanoseconds(1)))
    }
}
