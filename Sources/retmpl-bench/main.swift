import Foundation

/// retmpl-bench: the numbers behind README's performance claims.
///
///   retmpl-bench [render] [BENCH_DIR] [N_A N_B N_C]   render speed (oracle bench snapshots)
///   retmpl-bench latency [N]                           change → destination written, over the fake Consul
///   retmpl-bench scale [SERVICES] [INSTANCES] [SECONDS] the services idiom at scale: long-polls, req/s, RSS, CPU
///   retmpl-bench parked [SECONDS]                      CPU while one blocking query is parked
import RetmplRuntime

// As the daemon does (see ProcessTuning).
ProcessTuning.limitMallocArenas()
let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "latency": status = await LatencyBench.run(Array(arguments.dropFirst()))
case "scale": status = await ScaleBench.run(Array(arguments.dropFirst()))
case "synthetic": status = await SyntheticBench.run(Array(arguments.dropFirst()))
case "memprobe": status = MemoryProbe.run(Array(arguments.dropFirst()))
case "render": status = RenderBench.run(Array(arguments.dropFirst()))
default: status = RenderBench.run(arguments)
}
exit(status)
