public import Foundation
public import LightboxCrypto
public import Logging
import Persistence

extension UploadStore {
    /// Deletes an open upload at its owner's request: its files go, and it no longer counts against the account.
    /// - Throws: ``MarketplaceError`` `.notFound`, `.forbidden`, or `.conflict` when a publication has taken it.
    public func delete(_ id: String, owner: EthereumAddress, logger: Logger) async throws {
        let upload = try await localUpload(id, owner: owner, logger: logger)
        guard try await markRemoved(upload.id, onlyIf: "state = 'open'", logger: logger) else {
            throw MarketplaceError(.conflict, "upload \(id) was sealed by a publication meanwhile; it can no longer be deleted")
        }
    }

    /// Removes every open upload on this disk that has received nothing for the expiry time; returns their ids.
    public func expireIdle(now: Date = Date(), logger: Logger) async throws -> [String] {
        let cutoff = Int64(now.timeIntervalSince1970) - limits.expirySeconds
        let idle = try await database.query(
            """
            SELECT id FROM market_uploads WHERE state = 'open' AND updated_at < \(cutoff) AND \(onThisDisk)
            ORDER BY updated_at LIMIT 1000
            """,
            logger: logger
        ).map { try $0.decode("id", as: String.self) }
        var expired: [String] = []
        for id in idle where try await markRemoved(id, onlyIf: "state = 'open' AND updated_at < \(cutoff)", logger: logger) {
            expired.append(id)
        }
        return expired
    }

    /// Removes the plaintext of uploads whose publication no longer needs it: stored encrypted (or turned away), so
    /// that what the node keeps of a published dataset is its ciphertext. Nothing is removed when the node is
    /// configured to keep plaintext. Only uploads on this disk: another directory's files are its processes' to remove.
    /// Returns the uploads cleared.
    public func clearPublished(logger: Logger) async throws -> [String] {
        guard !limits.keepPlaintext else { return [] }
        let done = try await database.query(
            """
            SELECT u.id FROM market_uploads u JOIN market_publications p ON p.upload_id = u.id
            WHERE u.state = 'sealed' AND u.\(onThisDisk) AND p.state IN ('awaiting_signature', 'minting', 'active', 'failed', 'rejected')
            LIMIT 1000
            """, logger: logger
        ).map { try $0.decode("id", as: String.self) }
        var cleared: [String] = []
        for id in done where try await markRemoved(id, onlyIf: "state = 'sealed'", logger: logger) { cleared.append(id) }
        return cleared
    }

    /// Removes staging files older than the expiry time: what transfers cut off by a crash left behind.
    public func removeStaleStaging(now: Date = Date()) -> Int {
        let cutoff = now.addingTimeInterval(-TimeInterval(limits.expirySeconds))
        let manager = FileManager.default
        var removed = 0
        for folder in (try? manager.contentsOfDirectory(atPath: root)) ?? [] where folder.hasSuffix(".partial") {
            let path = root + "/" + folder
            for entry in (try? manager.contentsOfDirectory(atPath: path)) ?? [] {
                let modified = (try? manager.attributesOfItem(atPath: path + "/" + entry)[.modificationDate] as? Date) ?? now
                if modified < cutoff, (try? manager.removeItem(atPath: path + "/" + entry)) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// Marks an upload removed (when `condition` still holds, under its row) and deletes its files and records.
    private func markRemoved(_ id: String, onlyIf condition: SQLQuery, logger: Logger) async throws -> Bool {
        let marked = try await database.withTransaction(logger: logger) { connection in
            let changed = try await connection.execute(
                "UPDATE market_uploads SET state = 'removed' WHERE id = \(id) AND \(condition)")
            guard changed == 1 else { return false }
            try await connection.execute("DELETE FROM market_upload_files WHERE upload_id = \(id)")
            return true
        }
        if marked {
            try? FileManager.default.removeItem(atPath: directory(of: id))
            try? FileManager.default.removeItem(atPath: directory(of: id) + ".partial")
            logger.info("upload removed", metadata: ["upload.id": "\(id)"])
        }
        return marked
    }
}
