import Foundation
import Testing

/// The conformance suite (`contracts/conformance/`) against the embedded ledger: the scenario files the Vyper
/// contracts' runner also reads, with the outcomes each file states.
@Suite("Conformance: the embedded ledger")
struct ConformanceTests {
    @Test("every scenario gives the outcome its file states", arguments: try ConformanceScenario.all().map(\.lastPathComponent))
    func scenario(_ file: String) throws {
        let url = try #require(try ConformanceScenario.all().first { $0.lastPathComponent == file })
        var scenario = try ConformanceScenario(file: url)
        do {
            try scenario.run()
        } catch let failure as ConformanceScenario.Failure {
            Issue.record(Comment(rawValue: failure.description))
        }
    }

    @Test("the suite has the demo's journeys and a scenario for every kind of refusal")
    func coverage() throws {
        let steps = try ConformanceScenario.all().flatMap {
            try JSONDecoder().decode(ScenarioJSON.self, from: Data(contentsOf: $0))["steps"]?.array ?? []
        }
        let refusals = Set(steps.compactMap { $0["expect"]?["refused"]?.string })
        let actions = Set(steps.compactMap { $0["do"]?.string })
        for kind in [
            "expired", "replayed", "nonceGap", "badSignature", "unknown", "insufficientFunds", "unauthorised", "invalidState", "tooEarly",
            "tooLate", "invalidAttestation", "invalidArgument",
        ] {
            #expect(refusals.contains(kind), "no scenario expects a refusal as \(kind)")
        }
        for action in ["Mint", "Purchase", "Deliver", "Accept", "OpenDispute", "SubmitEvidence", "Rule", "Reclaim", "Release", "OfferListing", "TakeListing"] {
            #expect(actions.contains(action), "no scenario does \(action)")
        }
    }
}
