#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the registry (and the tools around it) need, on the C library, so the
/// core needs no Foundation.
public enum FileSystem {
    public struct Failure: Error, Sendable {
        public let reason: String
    }

    public static func read(_ path: String) throws(Failure) -> String {
        guard let file = fopen(path, "rb") else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw Failure(reason: "read error") }
                break
            }
            if bytes.count > 64 << 20 { throw Failure(reason: "file is larger than 64 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Failure(reason: "not valid UTF-8") }
        return text
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// File names in `directory`, sorted; empty if it cannot be read.
    public static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Finds a data folder of the project, such as `Envs` or `Agents`: from the environment
    /// variable when set, else `./<name>`, else a `<name>` folder beside a `Package.swift` above the
    /// running executable or above `sourceFile` (the source checkout the caller was built from).
    public static func locateDirectory(named name: String, environmentVariable: String, sourceFile: String = #filePath) -> String? {
        if let value = getenv(environmentVariable) {
            return String(cString: value)
        }
        if isDirectory(name) { return name }
        var starts: [String] = []
        if let exe = executablePath() { starts.append(exe) }
        starts.append(sourceFile)
        for start in starts {
            var dir = start
            while let slash = dir.lastIndex(of: "/"), slash != dir.startIndex {
                dir = String(dir[..<slash])
                if isDirectory(dir + "/" + name), exists(dir + "/Package.swift") { return dir + "/" + name }
            }
        }
        return nil
    }
}
