extension BenchReport {
    /// The bench's `provenance.json`: where and how it ran. Fields the file lacks are `nil`.
    public struct Provenance: Sendable {
        /// The command that reproduces the bench.
        public var command: String?
        public var commit: String?
        public var dirty: Bool?
        public var toolchain: String?
        public var cpu: String?
        public var cores: Int?
        public var jobs: Int?
        public var envThreads: Int?
        public var started: String?
        public var wallSeconds: Double?
        public var runs: Int?
        public var runsResumed: Int?
    }
}

extension BenchReport.Provenance {
    init(json text: String, file: String) throws(BenchReportError) {
        let fields = try JSONFields(parsing: text, file: file)
        command = try fields.optionalString("command")
        commit = try fields.optionalString("commit")
        dirty = try fields.optionalBool("dirty")
        toolchain = try fields.optionalString("toolchain")
        cpu = try fields.optionalString("cpu")
        cores = try fields.optionalInt("cores")
        jobs = try fields.optionalInt("jobs")
        envThreads = try fields.optionalInt("env_threads")
        started = try fields.optionalString("started")
        wallSeconds = try fields.optionalNumber("wall_seconds")
        runs = try fields.optionalInt("runs")
        runsResumed = try fields.optionalInt("runs_resumed")
    }
}
