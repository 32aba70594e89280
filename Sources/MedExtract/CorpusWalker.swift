public import Foundation

/// A file found by ``CorpusWalker``.
public struct CorpusFile: Sendable, Hashable {
    /// The absolute path.
    public var url: URL
    /// The path relative to the corpus root, with `/` separators (the document's identity).
    public var relativePath: String
    public var size: UInt64
    /// Modification time in nanoseconds since 1970.
    public var modificationTime: Int64
}

/// A problem met while walking a corpus; the walk goes on.
public struct CorpusWarning: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// A file that is there but cannot be read: an index keeps its earlier copy of it.
    public var isUnreadableFile = false
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String, isUnreadableFile: Bool = false) {
        self.path = path
        self.reason = reason
        self.isUnreadableFile = isUnreadableFile
    }
}

/// Walks a corpus folder recursively in a deterministic order (sorted by byte-wise path) and
/// lists the files to index: `.html`, `.htm` and `.xhtml` by default. Hidden files and folders
/// are skipped; symbolic links to folders are not followed (so no loop can form); unreadable
/// folders are reported as warnings.
public struct CorpusWalker: Sendable {
    /// Lowercased file extensions to include.
    public var extensions: Set<String>
    /// Shell-style patterns (`*`, `?`) matched against the relative path; when non-empty, a file
    /// must match one of them.
    public var include: [String]
    /// Patterns whose matches are left out.
    public var exclude: [String]

    public init(extensions: Set<String> = ["html", "htm", "xhtml"], include: [String] = [], exclude: [String] = []) {
        self.extensions = extensions
        self.include = include
        self.exclude = exclude
    }

    /// Lists the corpus files under `root`.
    /// - Throws: ``CorpusError`` when `root` is missing or not a folder.
    public func files(under root: URL) throws(CorpusError) -> (files: [CorpusFile], warnings: [CorpusWarning]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw .missing(path: root.path)
        }
        guard isDirectory.boolValue else { throw .notAFolder(path: root.path) }
        var files: [CorpusFile] = []
        var warnings: [CorpusWarning] = []
        walk(root, relative: "", into: &files, warnings: &warnings, depth: 0)
        files.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        return (files, warnings)
    }

    private func walk(_ folder: URL, relative: String, into files: inout [CorpusFile], warnings: inout [CorpusWarning], depth: Int) {
        guard depth < 64 else {
            warnings.append(CorpusWarning(path: relative, reason: "folder nesting deeper than 64 levels; not entered"))
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            warnings.append(CorpusWarning(path: relative.isEmpty ? folder.path : relative, reason: "cannot read folder (\(Self.reason(error)))"))
            return
        }
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(url.path, &info) == 0 else {
                warnings.append(CorpusWarning(path: path, reason: "cannot stat (\(String(cString: strerror(errno))))"))
                continue
            }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                walk(url, relative: path, into: &files, warnings: &warnings, depth: depth + 1)
                continue
            }
            if type == S_IFLNK {
                // Follow links to files, never to folders.
                var target = stat()
                guard stat(url.path, &target) == 0 else {
                    warnings.append(CorpusWarning(path: path, reason: "broken symbolic link"))
                    continue
                }
                if target.st_mode & S_IFMT == S_IFDIR { continue }
                info = target
            }
            guard info.st_mode & S_IFMT == S_IFREG, wanted(name: name, path: path) else { continue }
            if access(url.path, R_OK) != 0 {
                warnings.append(CorpusWarning(path: path, reason: "permission denied", isUnreadableFile: true))
                continue
            }
            let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            files.append(CorpusFile(url: url, relativePath: path, size: UInt64(info.st_size), modificationTime: nanos))
        }
    }

    private func wanted(name: String, path: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), extensions.contains(name[name.index(after: dot)...].lowercased()) else {
            return false
        }
        if !include.isEmpty, !include.contains(where: { Glob.matches($0, path) || Glob.matches($0, name) }) { return false }
        if exclude.contains(where: { Glob.matches($0, path) || Glob.matches($0, name) }) { return false }
        return true
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError { return "permission denied" }
        return nsError.localizedDescription
    }

    /// Reads a corpus file's bytes, turning failures into ``ExtractError/unreadable(path:reason:)``.
    public static func read(_ file: CorpusFile) throws(ExtractError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: file.url.path) else {
            throw .unreadable(path: file.relativePath, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw .unreadable(path: file.relativePath, reason: reason(error))
        }
    }
}

/// Why a corpus cannot be walked at all.
public enum CorpusError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(path: String)
    case notAFolder(path: String)

    public var description: String {
        switch self {
        case .missing(let path): "corpus folder '\(path)' does not exist"
        case .notAFolder(let path): "'\(path)' is not a folder"
        }
    }
}

/// Minimal shell-style matching: `*` (any run, including `/`), `?` (one character).
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                starP = pi; starT = ti; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
