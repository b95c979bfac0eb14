import AdBench
import AdEnv

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/adbench-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { try? FileWriter.removeTree(path) }

    /// The text of the file at `relative`.
    func read(_ relative: String) throws -> String { try FileSystem.read(path + "/" + relative) }
}
