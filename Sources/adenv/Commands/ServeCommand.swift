import AdEnv
import AdEnvServer
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `adenv serve`: the ZeroMQ server of docs/PROTOCOL.md.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve AdEnv environments over ZeroMQ (protocol: docs/PROTOCOL.md).",
        discussion: """
            Prints exactly one line, READY <endpoint>, on standard output once bound. SIGINT or SIGTERM \
            answers new requests SHUTTING_DOWN briefly and exits within a second.
            """)

    @Option(help: "Endpoint to bind: tcp://HOST:PORT (PORT may be *) or ipc:///PATH.")
    var bind = "tcp://127.0.0.1:5555"

    @Flag(help: "Allow binding a non-loopback address (other hosts can then connect; consider --curve-secret-key).")
    var allowRemote = false

    @Option(help: ArgumentHelp("Serve with ZeroMQ CURVE, using the 40-character Z85 secret key in FILE.", valueName: "FILE"))
    var curveSecretKey: String?

    @Flag(help: "Print a new CURVE keypair as 'secret public' (Z85) and exit.")
    var curveKeypair = false

    @Flag(help: "Exit when standard input reaches end of file (for launchers holding a pipe).")
    var exitWithStdin = false

    @Option(help: "Maximum open sessions, all clients together.")
    var maxSessions = 64

    @Option(help: "Maximum envs per session (N).")
    var maxEnvs = 65536

    @Option(help: "Maximum envs over all open sessions.")
    var maxTotalEnvs = 262_144

    @Option(help: "Maximum worker threads per session (default: online CPUs).")
    var maxThreads: Int?

    @Option(help: "Soft limit on a message's size in bytes (the hard libzmq limit is twice it).")
    var maxMessageBytes = 64 << 20

    @Option(help: "Seconds after which an idle session expires.")
    var idleTimeout: Double = 300

    func validate() throws {
        guard maxSessions >= 1 && maxSessions <= 1 << 20 else { throw ValidationError("--max-sessions must be in 1...1048576, got \(maxSessions)") }
        guard maxEnvs >= 1 && maxEnvs <= 1 << 24 else { throw ValidationError("--max-envs must be in 1...16777216, got \(maxEnvs)") }
        guard maxTotalEnvs >= 1 && maxTotalEnvs <= 1 << 26 else { throw ValidationError("--max-total-envs must be in 1...67108864, got \(maxTotalEnvs)") }
        if let maxThreads, !(1...256).contains(maxThreads) { throw ValidationError("--max-threads must be in 1...256, got \(maxThreads)") }
        guard maxMessageBytes >= 1024 && maxMessageBytes <= 1 << 30 else {
            throw ValidationError("--max-message-bytes must be in 1024...1073741824, got \(maxMessageBytes)")
        }
        guard idleTimeout > 0 && idleTimeout <= 86_400 * 365 else { throw ValidationError("--idle-timeout must be in (0, 31536000] seconds, got \(idleTimeout)") }
    }

    func run() throws {
        if curveKeypair {
            let pair = try ZeroMQCurve.keypair()
            print("\(pair.secretKey) \(pair.publicKey)")
            return
        }
        var configuration = ServerConfiguration(endpoint: bind)
        configuration.allowRemote = allowRemote
        configuration.exitWithStdin = exitWithStdin
        configuration.stopsOnSignal = true
        configuration.limits.maxSessions = maxSessions
        configuration.limits.maxEnvsPerSession = maxEnvs
        configuration.limits.maxTotalEnvs = maxTotalEnvs
        configuration.limits.maxThreads = maxThreads ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        configuration.limits.maxMessageBytes = maxMessageBytes
        configuration.limits.idleTimeoutSeconds = idleTimeout
        if let path = curveSecretKey {
            guard let file = fopen(path, "r") else { throw ValidationError("--curve-secret-key: cannot read \(path)") }
            var buffer = [CChar](repeating: 0, count: 256)
            let line = fgets(&buffer, Int32(buffer.count), file)
            fclose(file)
            let text = line == nil ? "" : String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            configuration.curveSecretKey = text.filter { !$0.isWhitespace }
        }
        ShutdownSignal.install()
        let server: Server
        do { server = try Server(configuration) } catch {
            throw ValidationError(error.description)
        }
        if let key = server.curvePublicKey { printError("CURVE public key: \(key)") }
        print("READY \(server.endpoint)")
        fflush(nil)  // all streams: stdout is a pipe under launchers and tests
        try server.run()
    }
}
