import Testing
import Vision

@Suite("Quality policy")
struct QualityPolicyTests {
    @Test("a policy file changes the pass rule, severities and thresholds")
    func parses() throws {
        let policy = try QualityPolicy(json: Array("""
            {"min_score": 90, "max_errors": 2, "severity": {"quality.blurry": "error", "labels.few-samples": "off"},
             "thresholds": {"quality.dark": 0.25, "duplicate.near": 20}}
            """.utf8))
        #expect(policy.minimumScore == 90 && policy.maximumErrors == 2)
        #expect(policy.severities["quality.blurry"] == .some(.error) && policy.severities["labels.few-samples"] == .some(nil))
        #expect(policy.thresholds.dark == 0.25 && policy.thresholds.nearDuplicateDistance == 20)
        #expect(QualityPolicy().minimumScore == 80 && QualityPolicy().maximumErrors == 0)
    }

    @Test("a bad policy is refused with the key that is wrong")
    func refuses() {
        let bad = [
            "[]", "{\"min_score\": 101}", "{\"min_score\": \"80\"}", "{\"max_errors\": -1}", "{\"colour\": 1}",
            "{\"severity\": {\"no.such-check\": \"error\"}}", "{\"severity\": {\"quality.dark\": \"fatal\"}}",
            "{\"thresholds\": {\"quality.darkness\": 0.3}}", "{\"thresholds\": {\"duplicate.near\": 2.5}}",
            "{\"thresholds\": {\"quality.dark\": -1}}", "{not json", "{\"min_score\": true}",
            "{\"thresholds\": {\"duplicate.near\": 48}}", "{\"thresholds\": {\"duplicate.near\": 1e19}}",
            "{\"thresholds\": {\"quality.dark\": \"0.3\"}}",
        ]
        for text in bad {
            #expect(throws: VisionError(.invalidPolicy, ""), "\(text)") { try QualityPolicy(json: Array(text.utf8)) }
        }
        let error = #expect(throws: VisionError.self) {
            try QualityPolicy(json: Array("{\"thresholds\": {\"quality.darkness\": 0.3}}".utf8))
        }
        #expect(error?.message.contains("quality.darkness") == true && error?.message.contains("quality.dark,") == true)
        // 0 and 1 are numbers, not booleans.
        let edges = try? QualityPolicy(json: Array("{\"thresholds\": {\"geometry.degenerate-box\": 1, \"duplicate.near\": 0}}".utf8))
        #expect(edges?.thresholds.minimumBoxSide == 1 && edges?.thresholds.nearDuplicateDistance == 0)
    }
}
