import Foundation

/// Where output goes and how it looks: colour decisions, terminal width, sanitising untrusted text.
/// Nothing else reads the environment for these.
struct Terminal: Sendable {
    enum ColorChoice: String, Sendable, CaseIterable {
        case auto, always, never
    }

    var useColor: Bool
    var width: Int

    init(color: ColorChoice, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let isTTY = isatty(STDOUT_FILENO) != 0
        switch color {
        case .always: useColor = true
        case .never: useColor = false
        case .auto: useColor = isTTY && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
        }
        var size = winsize()
        if isTTY, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
            width = Int(size.ws_col)
        } else {
            width = Int(environment["COLUMNS"] ?? "") ?? 100
        }
    }

    func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { useColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func cyan(_ text: String) -> String { useColor ? "\u{1B}[36m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { useColor ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func highlight(_ text: String) -> String { useColor ? "\u{1B}[1;33m\(text)\u{1B}[0m" : "[\(text)]" }

    /// Makes untrusted text (article content, file names) safe for a terminal: C0 and C1 control
    /// characters (ESC, BEL, ...) and bidirectional overrides are shown as visible escapes
    /// (`\u{1B}` → `␛`-free `\x1b`), so no sequence in a page can move the cursor, retitle the
    /// window or reorder text.
    static func sanitize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: out.append(" ")
            case 0x0A: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F:
                out.append("\\x" + String(format: "%02x", scalar.value))
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                out.append("\\u{" + String(scalar.value, radix: 16) + "}")
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Wraps plain text (no escapes) to `width` columns with an indent.
    static func wrap(_ words: [(text: String, styled: String)], width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        var visible = indent.count
        for word in words {
            if visible + word.text.count + 1 > width, visible > indent.count {
                lines.append(line)
                line = indent
                visible = indent.count
            }
            if visible > indent.count { line += " "; visible += 1 }
            line += word.styled
            visible += word.text.count
        }
        if visible > indent.count { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

/// stderr messages in the `medsearch: error: …` form, and the exit statuses.
public enum Diagnostics {
    public static func error(_ message: String) {
        FileHandle.standardError.write(Data("medsearch: error: \(Terminal.sanitize(message))\n".utf8))
    }

    public static func warning(_ message: String) {
        FileHandle.standardError.write(Data("medsearch: warning: \(Terminal.sanitize(message))\n".utf8))
    }

    public static func note(_ message: String) {
        FileHandle.standardError.write(Data("medsearch: \(Terminal.sanitize(message))\n".utf8))
    }
}

/// Exit statuses (README "Exit codes").
public enum ExitStatus: Int32 {
    /// Results found, or the command succeeded.
    case success = 0
    /// The search found nothing.
    case noResults = 1
    /// An error: missing or corrupt index, unreadable corpus, bad query.
    case failure = 2
    /// Bad command-line usage.
    case usage = 64
}
