import AdEnv

#if canImport(Glibc)
import Glibc
#endif

/// Where and how a bench ran: the facts that explain its timings but never enter its results
/// (`provenance.json`, see `docs/BENCH.md`).
public struct Provenance: Sendable {
    /// The command line that reproduces the bench.
    public var command: String
    public var arguments: [String]
    /// `git rev-parse HEAD` where the bench ran, or "unknown".
    public var commit: String
    /// Whether tracked files differ from the commit (`git status --porcelain --untracked-files=no`,
    /// as `git describe --dirty` sees it: the bench's own output is untracked); `nil` outside a
    /// checkout.
    public var dirty: Bool?
    /// The first line of `swift --version`, or "unknown".
    public var toolchain: String
    /// `model name` from /proc/cpuinfo.
    public var cpu: String
    public var cores: Int
    public var jobs: Int
    /// Threads each run's env steps with (the bench keeps 1 and parallelises over runs).
    public var environmentThreads = 1
    /// When this invocation started, UTC, ISO 8601.
    public var started: String
    public var wallSeconds: Double?
    public var runs: Int
    /// Runs found complete when this invocation started (`--resume`).
    public var runsResumed: Int

    /// Gathers the machine's facts now.
    public static func current(arguments: [String], jobs: Int, runs: Int, runsResumed: Int) -> Provenance {
        let commit = shell("git rev-parse HEAD 2>/dev/null")
        let status = commit.isEmpty ? nil : shell("git status --porcelain --untracked-files=no 2>/dev/null")
        return Provenance(
            command: arguments.map(quoted).joined(separator: " "), arguments: arguments,
            commit: commit.isEmpty ? "unknown" : commit, dirty: status.map { !$0.isEmpty },
            toolchain: nonEmpty(shell("swift --version 2>/dev/null | head -n 1")), cpu: cpuModel(),
            cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), jobs: jobs, started: utcNow(), wallSeconds: nil, runs: runs, runsResumed: runsResumed)
    }

    public var json: String {
        let object: ConfigValue = [
            "command": .string(command),
            "arguments": .array(arguments.map { .string($0) }),
            "commit": .string(commit),
            "dirty": dirty.map { .bool($0) } ?? .null,
            "toolchain": .string(toolchain),
            "cpu": .string(cpu),
            "cores": .number(Double(cores)),
            "jobs": .number(Double(jobs)),
            "env_threads": .number(Double(environmentThreads)),
            "started": .string(started),
            "wall_seconds": wallSeconds.map { .number(($0 * 1000).rounded() / 1000) } ?? .null,
            "runs": .number(Double(runs)),
            "runs_resumed": .number(Double(runsResumed)),
        ]
        return object.jsonString(pretty: true) + "\n"
    }

    /// Quotes an argument for a POSIX shell when it needs it.
    static func quoted(_ word: String) -> String {
        let safe = word.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || "-_./,:=+@".utf8.contains(c)
        }
        return safe && !word.isEmpty ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// The trimmed standard output of `command` run by /bin/sh, empty on failure.
    private static func shell(_ command: String) -> String {
        guard let pipe = popen(command, "r") else { return "" }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        pclose(pipe)
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }

    private static func nonEmpty(_ text: String) -> String { text.isEmpty ? "unknown" : text }

    private static func cpuModel() -> String {
        guard let text = try? FileSystem.read("/proc/cpuinfo") else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return String(line[line.index(after: colon)...]).trimmingWhitespace() }
        }
        return "unknown"
    }

    private static func utcNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
