#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import RetmplRuntime

/// Entry point: `retmpl SUBCOMMAND [flags] ...`.
ProcessTuning.limitMallocArenas()
let arguments = Array(CommandLine.arguments.dropFirst())
let code: Int32
switch arguments.first {
case "render":
    code = RenderCommand.run(Array(arguments.dropFirst()))
case "validate":
    // Lints flags, config files and templates without starting anything.
    code = DaemonCommand.run(["-parse-only"] + arguments.dropFirst())
case "snapshot":
    code = SnapshotCommand.run(Array(arguments.dropFirst()))
case "check":
    code = CheckCommand.run(Array(arguments.dropFirst()))
case "-v", "--v", "-version", "--version", "version":
    Console.out("retmpl \(retmplVersion)\n")
    code = 0
case nil, "-h", "--h", "-help", "--help", "help":
    Console.err(topLevelUsage + "\nDaemon flags (consul-template's):\n" + DaemonFlags.definitions().usage())
    code = arguments.isEmpty ? 13 : 0
case let first? where first.hasPrefix("-"):
    // consul-template's command line: the daemon.
    code = DaemonCommand.run(arguments)
default:
    Console.err("retmpl: unknown command \"\(arguments[0])\"\n\n" + topLevelUsage)
    code = 13
}
exit(code)
