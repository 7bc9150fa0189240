import Foundation
import Ledger

/// How the pages write times, scores and event fields.
enum PageFormatting {
    /// `2026-12-06T07:12:33Z`, for `<time datetime>`.
    static func isoTime(_ seconds: UInt64) -> String {
        let t = utc(seconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second)
    }

    /// `2026-12-06 07:12 UTC`, for people.
    static func displayTime(_ seconds: UInt64) -> String {
        let t = utc(seconds)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", t.year, t.month, t.day, t.hour, t.minute)
    }

    private static func utc(_ seconds: UInt64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var time = time_t(clamping: seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// A score's class for colour: good from 90, fair from 70, poor below.
    static func scoreClass(_ score: Int) -> String { score >= 90 ? "good" : score >= 70 ? "fair" : "poor" }

    /// An event's fields as `name=value` pairs in name order, amounts in tokens and deadlines as dates.
    static func fieldsText(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(readable($0.key, $0.value))" }.joined(separator: " ")
    }

    /// The fields that hold token amounts in base units.
    static let amountFields: Set<String> = ["amount", "price", "fee", "buyerAmount", "sellerAmount"]

    private static func readable(_ name: String, _ value: String) -> String {
        if amountFields.contains(name), let amount = try? TokenAmount(units: value) { return amount.tokenString + " tokens" }
        if name.hasSuffix("Deadline") || name.hasSuffix("At"), let seconds = UInt64(value) { return displayTime(seconds) }
        return value
    }

    /// Basis points as a percentage: 250 → "2.5 %".
    static func percent(basisPoints: UInt64) -> String {
        let whole = basisPoints / 100, hundredths = basisPoints % 100
        guard hundredths != 0 else { return "\(whole) %" }
        let fraction = String(format: "%02d", Int(hundredths))
        return "\(whole).\(fraction.hasSuffix("0") ? String(fraction.prefix(1)) : fraction) %"
    }
}
