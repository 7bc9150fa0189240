import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import Node
import Persistence
import Prometheus
import Server
import ServiceLifecycle
import Testing

@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    let logger = Logger(label: "lightbox.tests")

    @Test("a request in flight when shutdown starts still gets its whole response")
    func inFlightRequestFinishes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).sqlite").path
        let database = try await SQLiteDatabase(path: path)
        let dependencies = ServerDependencies(
            database: database, migrator: Migrator(migrations: NodeMigrations.all), metrics: .init(), logger: logger
        )
        let router = LightboxServer.router(dependencies)
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        router.get("slow") { _, _ -> String in
            enteredSignal.yield()
            try await Task.sleep(for: .milliseconds(400))
            return "finished"
        }
        let (ports, portSignal) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portSignal.yield(channel.localAddress?.port ?? 0) }, logger: logger
        )
        let group = ServiceGroup(services: [application], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/slow"))
            async let response = URLSession.shared.data(from: url)
            var enteredIterator = entered.makeAsyncIterator()
            _ = await enteredIterator.next()
            await group.triggerGracefulShutdown()
            let (data, answer) = try await response
            #expect((answer as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self) == "finished")
            try await tasks.waitForAll()
        }
        await database.close()
    }
}
