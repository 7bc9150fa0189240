import ArgumentParser
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

struct PurchasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purchases",
        abstract: "Your purchases and sales, newest first: where each stands, its next deadline as a date, and any dispute.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only those where you are the buyer, the seller or the arbiter.") var role: Role?

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case buyer, seller, arbiter
    }
    @Option(help: "How many (1–100).") var limit = 20

    func run() async throws {
        try await CommandFailure.guarding {
            let market = try await client.signedIn()
            let page = try await market.get(
                "/v1/purchases?limit=\(limit)" + (role.map { "&role=\($0.rawValue)" } ?? ""), as: Page<PurchaseView>.self)
            let me = market.address?.lowercaseHex ?? ""
            ClientOutput.show(page, json: client.json) {
                guard !page.items.isEmpty else { return [role.map { "you have no purchases as the \($0.rawValue)" } ?? "you have no purchases or sales"] }
                return page.items.flatMap { purchase -> [String] in
                    let side = purchase.buyer.lowercased() == me ? "buyer" : purchase.seller.lowercased() == me ? "seller" : "arbiter"
                    var lines = [PurchaseLines.summary(purchase, as: side)]
                    if let dispute = purchase.dispute {
                        lines.append("  \(dispute.evidence.count) pieces of evidence; `lightbox dispute show \(purchase.purchaseID)` reads them")
                    }
                    return lines
                }
            }
        }
    }
}
