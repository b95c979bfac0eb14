extension BenchReport {
    /// The path of `report.md`.
    public var reportPath: String { directory + "/report.md" }

    /// Writes `report.md` and its figures (`figures/*.svg`), each atomically (a temporary file
    /// renamed over the old one). The figures go first, so a report never links a missing figure.
    ///
    /// - Throws: ``BenchReportError/cannotWrite(path:reason:)``.
    public func write() throws(BenchReportError) {
        let (markdown, figures) = document()
        do {
            try FileWriter.createDirectory(directory + "/figures")
            for figure in figures { try FileWriter.writeAtomically(figure.svg, to: directory + "/figures/" + figure.name) }
            try FileWriter.writeAtomically(markdown, to: reportPath)
        } catch {
            throw .cannotWrite(path: error.path, reason: error.reason)
        }
    }
}
