import Foundation
import HTTPTypes
import Hummingbird
import JobQueue
import Logging
import NIOCore
import Node

/// The job queue for operators: `/admin/jobs` (list, with a cursor), `/admin/jobs/stats`, `/admin/jobs/{id}`,
/// and `POST /admin/jobs/{id}/retry|cancel`. The same operations as `lightbox jobs …`.
struct AdminJobRoutes {
    let queue: JobQueue
    let token: String?

    func register(on router: Router<LightboxRequestContext>) {
        let admin = router.group("admin/jobs").add(middleware: AdminAuthMiddleware(token: token))
        admin.get { request, _ in try await list(request) }
        admin.get("stats") { _, _ in try await stats() }
        admin.get(":id") { _, context in
            let id = try jobID(context)
            guard let job = try await queue.job(id) else { throw Self.map(JobQueueError(.notFound, "no job \(id)")) }
            return try Self.json(["job": job])
        }
        admin.post(":id/retry") { _, context in try await act(context) { try await queue.retry($0) } }
        admin.post(":id/cancel") { _, context in try await act(context) { try await queue.cancel($0) } }
    }

    private func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let state = try query["state"].map { value in
            guard let state = JobState(rawValue: String(value)) else {
                throw ErrorResponse(
                    status: .badRequest, code: "bad_request",
                    message: "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return state
        }
        let before = try query["before"].map { try Self.integer(String($0), name: "before") }
        let limit = try query["limit"].map { try Self.integer(String($0), name: "limit") } ?? 50
        guard (1...1000).contains(limit) else {
            throw ErrorResponse(status: .badRequest, code: "bad_request", message: "limit must be from 1 to 1000")
        }
        let jobs = try await queue.list(
            state: state, kind: query["kind"].map(String.init), queue: query["queue"].map(String.init),
            beforeID: before, limit: Int(limit)
        )
        let next = jobs.count == Int(limit) ? jobs.last.map { String($0.id) } : nil
        return try Self.json(JobList(jobs: jobs, next: next))
    }

    private func stats() async throws -> Response {
        try Self.json(try await queue.stats())
    }

    private func act(_ context: LightboxRequestContext, _ action: (Int64) async throws -> JobRecord) async throws -> Response {
        do {
            return try Self.json(["job": try await action(try jobID(context))])
        } catch let error as JobQueueError {
            throw Self.map(error)
        }
    }

    private func jobID(_ context: LightboxRequestContext) throws -> Int64 {
        try Self.integer(context.parameters.get("id") ?? "", name: "job id")
    }

    private static func integer(_ text: String, name: String) throws -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw ErrorResponse(status: .badRequest, code: "bad_request", message: "\(name) must be a positive whole number, not \"\(text)\"")
        }
        return value
    }

    private static func map(_ error: JobQueueError) -> ErrorResponse {
        switch error.code {
        case .notFound: ErrorResponse(status: .notFound, code: "not_found", message: error.message)
        case .invalidState: ErrorResponse(status: .conflict, code: "conflict", message: error.message)
        default: ErrorResponse(status: .badRequest, code: "bad_request", message: error.message)
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        JSONResponse.make(.ok, String(decoding: try JSONText.encoder(pretty: false).encode(value), as: UTF8.self))
    }

    struct JobList: Encodable {
        let jobs: [JobRecord]
        let next: String?
    }
}
