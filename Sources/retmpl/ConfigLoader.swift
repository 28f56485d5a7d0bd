/// Reads `-config` files and directories into daemon options.
enum ConfigLoader {
    static func options(paths: [String]) throws(DaemonFailure) -> DaemonOptions {
        guard paths.isEmpty else { throw .config("config files are not supported yet") }
        return DaemonOptions()
    }
}
