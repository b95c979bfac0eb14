import AdEnv

/// The body of an OPEN request (docs/PROTOCOL.md §4).
public struct OpenRequest: Sendable {
    public var scenario: ScenarioRequest
    /// N, the number of env copies; at least 1.
    public var numEnvs: Int
    /// Worker threads requested; the server caps it.
    public var threads: Int

    public init(_ scenario: ScenarioRequest, numEnvs: Int = 1, threads: Int = 1) {
        self.scenario = scenario
        self.numEnvs = numEnvs
        self.threads = threads
    }

    /// Parses and checks a request body.
    ///
    /// - Throws: `BAD_REQUEST` for a malformed body, a bad field or an autoreset mode other than
    ///   NEXT_STEP.
    public init(frame: ZeroMQMessage) throws(WireError) {
        var reader = try RequestReader(frame: frame, message: "OPEN")
        scenario = try ScenarioRequest(reading: &reader)
        numEnvs = try reader.int("num_envs", in: 1...Int.max) ?? 1
        threads = try reader.int("threads", in: 1...Int.max) ?? 1
        if let mode = try reader.string("autoreset_mode"), mode != "next_step", mode != AutoresetMode.nextStep.rawValue {
            throw WireError(.badRequest, "OPEN.autoreset_mode '\(mode.prefix(100))' is not supported; protocol v1 has only 'next_step'")
        }
        try reader.finish()
    }

    public var json: String {
        var writer = JSONWriter()
        scenario.write(to: &writer)
        writer.field("num_envs", numEnvs)
        writer.field("autoreset_mode", "next_step")
        writer.field("threads", threads)
        return writer.finish()
    }
}
