/// One versioned step of a module's schema.
///
/// Migrations are identified by module and version (`jobs/1`); each module numbers its own from 1.
/// Once released, a migration never changes: its checksum is recorded and checked at every start.
public struct Migration: Sendable {
    /// The module that owns the tables, e.g. `node`, `jobs`, `ledger`.
    public let module: String
    /// The step's number within its module, from 1 upwards.
    public let version: Int
    /// A short description, e.g. `create processes`.
    public let name: String
    /// The statements for a dialect, run in order inside one transaction.
    public let statements: @Sendable (SQLDialect) -> [String]

    public init(module: String, version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.module = module
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// `module/version`.
    public var id: String { "\(module)/\(version)" }

    /// A 64-bit FNV-1a hash of the statements for `dialect`, as hex: it detects edits, it is not a security check.
    func checksum(for dialect: SQLDialect) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for statement in statements(dialect) {
            for byte in statement.utf8 + [0] {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
