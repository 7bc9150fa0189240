import Ledger
import Testing

/// Times in the ledger's refusals read as dates (UTC), not Unix seconds.
@Suite("Ledger times in messages")
struct LedgerTimeTests {
    @Test("a ledger time prints as a UTC date and time, checked against known instants")
    func format() {
        #expect(LedgerTime.text(0) == "1970-01-01 00:00:00 UTC")
        #expect(LedgerTime.text(951_782_400) == "2000-02-29 00:00:00 UTC")
        #expect(LedgerTime.text(1_796_562_245) == "2026-12-06 13:04:05 UTC")
    }

    @Test("a refusal for a deadline names it as a date, with the time it is now")
    func refusal() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        do {
            try f.apply(.reclaim(purchase: 1), by: f.bob)
            Issue.record("a reclaim before the delivery deadline was accepted")
        } catch let error as LedgerError {
            #expect(error.code == .tooEarly)
            #expect(error.message.contains("until 1970-01-") && error.message.contains("(it is now 1970-01-12 13:46:40 UTC)"), "\(error.message)")
            #expect(!error.message.contains("1000000"), "\(error.message)")
        }
    }
}
