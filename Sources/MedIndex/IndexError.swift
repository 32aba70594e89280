/// Everything that can go wrong opening, reading or writing an index. Messages name the file and
/// say what to do; `medsearch` prints them as `medsearch: error: …` and exits 2.
public enum IndexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No manifest: the folder holds no index (yet).
    case notAnIndex(path: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A file is damaged: bad magic, checksum, truncation, impossible values.
    case corrupt(path: String, reason: String)
    /// The manifest names a file that is not there.
    case missingFile(path: String)
    /// The index was built with another analyzer.
    case analyzerMismatch(path: String, reason: String)
    /// The folder holds files that are not an index's; it is never written to.
    case foreignFolder(path: String, examples: [String])
    /// Another process holds the writer lock.
    case locked(path: String, holder: String)
    /// The index was written by a newer medsearch; it is neither read nor overwritten.
    case newerFormat(path: String, version: UInt32, supported: UInt32)

    public var description: String {
        switch self {
        case .notAnIndex(let path):
            "no index at '\(path)' (run 'medsearch index' to build one)"
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .corrupt(let path, let reason):
            "index file '\(path)' is corrupt: \(reason); rebuild it with 'medsearch index --rebuild'"
        case .missingFile(let path):
            "index file '\(path)' is missing (named by the manifest); rebuild with 'medsearch index --rebuild'"
        case .analyzerMismatch(let path, let reason):
            "index at '\(path)': \(reason); re-index with 'medsearch index --rebuild'"
        case .foreignFolder(let path, let examples):
            "'\(path)' holds files that are not part of a MedSearch index (\(examples.prefix(3).joined(separator: ", "))\(examples.count > 3 ? ", …" : "")); refusing to write there — choose an empty folder with --index"
        case .newerFormat(let path, let version, let supported):
            "index at '\(path)' has format version \(version), newer than this medsearch supports (\(supported)); upgrade medsearch (the index is left untouched, even with --rebuild)"
        case .locked(let path, let holder):
            "another medsearch process (\(holder)) is writing the index at '\(path)'; wait for it to finish"
        }
    }
}
