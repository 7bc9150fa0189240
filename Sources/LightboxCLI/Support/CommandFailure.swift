import ArgumentParser
import ContentAddressing
import Foundation
import JobQueue
import Ledger
import LightboxCrypto
import Node
import Persistence
import Storage
import Vision

/// Runs a command body and turns Lightbox's errors into one clear line on standard error and exit status 1.
enum CommandFailure {
    static func guarding(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("lightbox: \(message(for: error))\n".utf8))
            throw ExitCode(1)
        }
    }

    static func message(for error: any Error) -> String {
        switch error {
        case let error as SettingsError: error.message
        case let error as DatabaseError: error.message
        case let error as NodeError: error.message
        case let error as CryptoError: error.message
        case let error as JobQueueError: error.message
        case let error as ContentAddressingError: error.message
        case let error as StorageError: error.message
        case let error as LedgerError: error.message
        case let error as VisionError: error.message
        default: "\(error)"
        }
    }
}

/// A command's own refusal: its message says what is wrong and what to do.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
