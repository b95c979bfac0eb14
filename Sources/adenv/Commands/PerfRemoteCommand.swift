import AdEnv
import AdEnvServer
import ArgumentParser
import Foundation

/// `adenv perf-remote`: the Swift client's throughput against a server.
struct PerfRemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf-remote",
        abstract: "Measure the Swift client against a server: one env in lockstep, then N envs per message.",
        discussion: """
            Without --endpoint, a server runs in this process on its own thread (tcp://127.0.0.1:*). \
            Actions are uniformly random valid actions. Rates are wall-clock; compare figures measured in one run.
            """)

    @Argument(help: "A registered env ID.")
    var id = "AdMarket-v0"

    @Option(help: "Endpoint of a running `adenv serve`; default: an in-process server.")
    var endpoint: String?

    @Option(help: "Envs per message in the batched measurement.")
    var envs = 256

    @Option(help: "Threads the server steps the batched session on.")
    var threads = 1

    @Option(help: "Seconds to measure each configuration.")
    var seconds: Double = 2

    func validate() throws {
        guard envs >= 1 && envs <= 65536 else { throw ValidationError("--envs must be in 1...65536, got \(envs)") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be in 1...256, got \(threads)") }
        guard seconds > 0 && seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600], got \(seconds)") }
    }

    func run() throws {
        var server: Server?
        let done = DispatchSemaphore(value: 0)
        let target: String
        if let endpoint {
            target = endpoint
        } else {
            var configuration = ServerConfiguration(endpoint: "tcp://127.0.0.1:*")
            configuration.limits.maxThreads = threads
            configuration.drainMilliseconds = 0
            let local: Server
            do { local = try Server(configuration) } catch { throw ValidationError(error.description) }
            server = local
            target = local.endpoint
            Thread.detachNewThread {
                try? local.run()
                done.signal()
            }
        }
        defer {
            if let server {
                server.requestStop()
                done.wait()
            }
        }
        let connection = try Connection(endpoint: target)
        let scenario = ScenarioRequest(env: id)
        let single = try RemoteThroughput.measure(connection: connection, scenario: scenario, envs: 1, minimumSeconds: seconds)
        let batched = try RemoteThroughput.measure(connection: connection, scenario: scenario, envs: envs, minimumSeconds: seconds)
        print("\(id) over ZeroMQ (\(server == nil ? target : "in-process server, " + target)), random valid actions, \(seconds) s each")
        print("  single env, lockstep:   \(single.stepsPerSecond.groupedDigits) steps/s (\(format(1e6 / single.stepsPerSecond)) µs per round trip)")
        print("  \(envs) envs per message:  \(batched.envStepsPerSecond.groupedDigits) env-steps/s (\(batched.stepsPerSecond.groupedDigits) messages/s)")
    }

    private func format(_ x: Double) -> String {
        ConfigValue.format((x * 10).rounded() / 10)
    }
}
