import Foundation
import Hummingbird
import MarketAPI
import Marketplace
import NIOCore

/// Dataset uploads: `POST /v1/uploads` starts one, `PUT /v1/uploads/{id}/files/{path}` streams one file (replacing
/// any file at that path), `GET /v1/uploads/{id}` lists what has arrived, so an interrupted upload resumes with the
/// files still missing; `POST /v1/uploads/{id}/archive` takes a tar archive of files at once, all or nothing;
/// `DELETE /v1/uploads/{id}` removes an open upload and its files.
/// Only the upload's owner may see or change it.
struct UploadRoutes {
    let market: Marketplace

    var limits: UploadLimitsView {
        let limits = market.uploads.limits
        return UploadLimitsView(fileBytes: limits.fileBytes, uploadBytes: limits.uploadBytes, files: limits.files)
    }

    /// Hands a file just kept to the background analysis, so the check finds its image already measured.
    func arrived(_ file: Upload.File, upload id: String) {
        market.arrivals.arrived(upload: id, path: file.path, file: market.uploads.directory(of: id) + "/" + file.path)
    }

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/uploads") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let upload = try await market.uploads.create(owner: account, logger: context.logger)
            return try MarketplaceHTTP.json(UploadResponse(upload: upload, files: nil, limits: limits), status: .created)
        }
        router.get("v1/uploads/:id") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let id = context.parameters.get("id") ?? ""
            guard let upload = try await market.uploads.upload(id, logger: context.logger) else {
                throw MarketplaceHTTP.notFound("there is no upload \(id.prefix(40))")
            }
            guard upload.owner == account else { throw MarketplaceHTTP.forbidden("upload \(id) belongs to another account") }
            let files = try await market.uploads.files(of: id, logger: context.logger)
            return try MarketplaceHTTP.json(UploadResponse(upload: upload, files: files, limits: limits))
        }
        router.delete("v1/uploads/:id") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let id = context.parameters.get("id") ?? ""
            try await MarketplaceHTTP.mapping { try await market.uploads.delete(id, owner: account, logger: context.logger) }
            return Response(status: .noContent)
        }
        router.post("v1/uploads/:id/archive") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let id = context.parameters.get("id") ?? ""
            let files = try await MarketplaceHTTP.mapping {
                try await market.uploads.receiveArchive(upload: id, owner: account, logger: context.logger) { receiver in
                    for try await buffer in request.body {
                        try buffer.withUnsafeReadableBytes { try receiver.read($0) }
                    }
                }
            }
            for file in files { arrived(file, upload: id) }
            return try MarketplaceHTTP.json(UploadedArchive(files: files), status: .created)
        }
        router.put("v1/uploads/:id/files/**") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let id = context.parameters.get("id") ?? ""
            let segments = context.parameters.getCatchAll().map { String($0).removingPercentEncoding }
            let file = try await MarketplaceHTTP.mapping {
                guard segments.allSatisfy({ $0 != nil }) else {
                    throw MarketplaceError(
                        .invalidRequest, "the file path's percent-encoding is not valid UTF-8; send paths as UTF-8, percent-encoded")
                }
                let path = try UploadPath(segments.compactMap { $0 }.joined(separator: "/"))
                if let length = request.headers[.contentLength].flatMap(Int64.init), length > market.uploads.limits.fileBytes {
                    throw MarketplaceError(.tooLarge, "the file is larger than \(market.uploads.limits.fileBytes) bytes, the most one file may be")
                }
                let file = try await market.uploads.receive(upload: id, owner: account, path: path, logger: context.logger) { writer in
                    for try await buffer in request.body {
                        try buffer.withUnsafeReadableBytes { try writer.write($0) }
                    }
                }
                arrived(file, upload: id)
                return file
            }
            return try MarketplaceHTTP.json(UploadedFile(file: file), status: .created)
        }
    }
}
