public import JobQueue

/// The marketplace's job kinds, for a worker's registry.
public enum MarketplaceJobs {
    public static func register(in registry: inout JobRegistry, market: Marketplace) {
        registry.register(VisionCheckJob(market: market))
        registry.register(StoragePrepareJob(market: market))
        registry.register(LedgerMintJob(market: market))
        registry.register(DeliverySealJob(market: market))
        registry.register(EscrowReleaseJob(market: market))
        registry.register(LedgerRelayJob(market: market))
        // The jobs that read an upload's files run where the files are: from this data directory's queue.
        if let disk = market.uploads.jobQueue {
            registry.route(VisionCheckJob.self, alsoFrom: disk)
            registry.route(StoragePrepareJob.self, alsoFrom: disk)
        }
    }
}
