import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// `/metrics`: every metric in the Prometheus text exposition format (version 0.0.4).
struct MetricsRoute {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<LightboxRequestContext>) {
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
