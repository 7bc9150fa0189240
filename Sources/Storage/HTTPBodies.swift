import AsyncHTTPClient
import ContentAddressing
import Foundation
import NIOCore

/// Request and response bodies for the storage clients: files streamed up, responses read with a limit.
enum HTTPBodies {
    /// A multipart/form-data body with one part, `file`, streamed from a file on disk.
    static func multipartFile(path: String, filename: String, boundary: String) throws -> HTTPClientRequest.Body {
        let head = Array((
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8)
        let tail = Array("\r\n--\(boundary)--\r\n".utf8)
        let size = try fileSize(path)
        let pieces = FilePieces(path: path, head: head, tail: tail)
        return .stream(AsyncThrowingStream(unfolding: { try pieces.next() }), length: .known(Int64(head.count + tail.count) + size))
    }

    /// Reads a whole response body, refusing more than `limit` bytes.
    static func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> [UInt8] {
        var bytes = [UInt8]()
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else {
                throw StorageError(.badResponse, "the response is larger than the \(limit) bytes expected")
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    private static func fileSize(_ path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StorageError(.io, "cannot read \(path)") }
        return Int64(info.st_size)
    }
}

/// Hands out a file in pieces, framed by a head and a tail, to one consumer.
/// `@unchecked Sendable`: the request body is read by one consumer at a time, in order, and `next()` is the only
/// entry point, so the reader is never used concurrently.
private final class FilePieces: @unchecked Sendable {
    private var reader: ChunkedFileReader?
    private let path: String
    private var head: [UInt8]?
    private var tail: [UInt8]?

    init(path: String, head: [UInt8], tail: [UInt8]) {
        self.path = path
        self.head = head
        self.tail = tail
    }

    /// The next piece; a read error ends the upload with that error rather than a short body.
    func next() throws -> ByteBuffer? {
        if let head {
            self.head = nil
            return ByteBuffer(bytes: head)
        }
        if reader == nil, tail != nil { reader = try ChunkedFileReader(path: path, chunkSize: 1 << 20) }
        if let reader {
            let chunk = try reader.next()
            if !chunk.isEmpty { return ByteBuffer(bytes: chunk) }
        }
        reader = nil
        if let tail {
            self.tail = nil
            return ByteBuffer(bytes: tail)
        }
        return nil
    }
}
