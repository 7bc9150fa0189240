import Node

extension FuzzTarget {
    /// A `config.json` as `lightbox serve --config` reads it, resolved against every setting's rules.
    static let config = FuzzTarget(name: "config", summary: "a lightbox config.json file") { input in
        let folder = ScratchFolder.fresh("config")
        folder.write("config.json", input)
        let loader = SettingsLoader(environment: [:], configFileFlag: folder.path + "/config.json")
        do throws(SettingsError) {
            _ = try loader.load()
        } catch {
            require(!error.description.isEmpty, "a refused config file without a message")
            return .refused
        }
        return .accepted
    }
}
