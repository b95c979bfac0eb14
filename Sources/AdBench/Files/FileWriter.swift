#if canImport(Glibc)
import Glibc
#endif

/// Writing files and directories the way benchmark results need: atomically, so that a reader (or a
/// resumed bench) never sees half a file.
public enum FileWriter {
    /// A file or directory operation that failed, with the path and the system's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String

        public var description: String { "\(path): \(reason)" }
    }

    /// Writes `text` to a temporary file beside `path`, flushes it to disk, and renames it over
    /// `path`: afterwards `path` holds either its old content or all of `text`, never a part.
    public static func writeAtomically(_ text: String, to path: String) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else { throw Failure(path: temporary, reason: systemReason()) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written == bytes.count, flushed, Glibc.rename(temporary, path) == 0 else {
            let reason = systemReason()
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }

    /// Creates `path` and any missing parents; an existing directory is fine.
    public static func createDirectory(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw Failure(path: prefix, reason: systemReason()) }
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw Failure(path: path, reason: "is not a directory") }
    }

    /// Deletes `path` and everything under it; a missing path is fine. Symbolic links are removed,
    /// never followed.
    public static func removeTree(_ path: String) throws(Failure) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Failure(path: path, reason: systemReason())
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard let directory = opendir(path) else { throw Failure(path: path, reason: systemReason()) }
            var children: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { children.append(name) }
            }
            closedir(directory)
            for child in children { try removeTree(path + "/" + child) }
            guard rmdir(path) == 0 else { throw Failure(path: path, reason: systemReason()) }
        } else {
            guard unlink(path) == 0 else { throw Failure(path: path, reason: systemReason()) }
        }
    }

    /// Renames `source` to `destination` (atomic within one file system).
    public static func rename(_ source: String, to destination: String) throws(Failure) {
        guard Glibc.rename(source, destination) == 0 else { throw Failure(path: destination, reason: systemReason()) }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}
