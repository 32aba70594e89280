import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program running on a pseudo-terminal, driven as a user at a keyboard would drive it: what it
/// writes is collected, keystrokes are written to it, and every wait has a deadline, so a test can
/// fail but never hang.
final class PseudoTerminal {
    enum Failure: Error, CustomStringConvertible {
        case unavailable(step: String, errno: Int32)

        var description: String {
            switch self {
            case .unavailable(let step, let code): "cannot open a pseudo-terminal: \(step) failed (\(String(cString: strerror(code))))"
            }
        }

        static func failed(_ step: String) -> Failure { .unavailable(step: step, errno: errno) }
    }

    /// Whether libedit (what gives the REPL line editing, history and completion) is installed.
    static let libeditAvailable: Bool = {
        guard let handle = dlopen("libedit.so.2", RTLD_LAZY | RTLD_LOCAL) else { return false }
        dlclose(handle)
        return true
    }()

    /// How long any single wait lasts at most.
    static let defaultTimeout: TimeInterval = 10

    private let primary: Int32
    /// The program's side, kept open here to watch its mode (see ``waitForKeyboard(within:)``).
    private let replica: Int32
    private let process = Process()
    /// Everything the program has written so far.
    private(set) var output: [UInt8] = []
    /// Where the next ``expect(_:within:)`` starts looking: output already matched is not
    /// matched twice.
    private var mark = 0
    private var closed = false

    /// Starts `executable` with the replica side of a new pseudo-terminal (of `columns` columns)
    /// as its stdin, stdout and stderr.
    init(executable: URL, arguments: [String], directory: URL, environment: [String: String], columns: UInt16 = 100) throws {
        guard let openpt = Self.libc("posix_openpt", as: (@convention(c) (Int32) -> Int32).self) else {
            throw Failure.failed("finding posix_openpt")
        }
        primary = openpt(O_RDWR | O_NOCTTY)
        guard primary >= 0 else { throw Failure.failed("posix_openpt") }
        do {
            replica = try Self.openReplica(of: primary)
        } catch {
            close(primary)
            throw error
        }
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(replica, UInt(TIOCSWINSZ), &size)
        let handle = FileHandle(fileDescriptor: replica, closeOnDealloc: false)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        do {
            try process.run()
        } catch {
            close(replica)
            close(primary)
            throw error
        }
    }

    deinit {
        stop()
        close(replica)
        close(primary)
    }

    /// A function of the C library, by name. Glibc's Swift module leaves the pseudo-terminal
    /// functions out (they need `_XOPEN_SOURCE`), so they are looked up in the loaded libc.
    private static func libc<F>(_ name: String, as type: F.Type) -> F? {
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    /// Grants, unlocks and opens the replica side of `primary`.
    private static func openReplica(of primary: Int32) throws -> Int32 {
        typealias Control = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
        guard let grantpt = libc("grantpt", as: Control.self), let unlockpt = libc("unlockpt", as: Control.self),
              let ptsname = libc("ptsname_r", as: Name.self)
        else { throw Failure.failed("finding grantpt, unlockpt and ptsname_r") }
        guard grantpt(primary) == 0 else { throw Failure.failed("grantpt") }
        guard unlockpt(primary) == 0 else { throw Failure.failed("unlockpt") }
        var name = [CChar](repeating: 0, count: 256)
        guard ptsname(primary, &name, name.count) == 0 else { throw Failure.failed("ptsname_r") }
        let replica = open(name, O_RDWR | O_NOCTTY)
        guard replica >= 0 else { throw Failure.failed("open replica") }
        return replica
    }

    /// Waits until the program reads single keys: libedit switches the terminal out of canonical
    /// (line) mode while it edits a line, and back between lines, after it has printed the prompt.
    /// A key typed in canonical mode is cooked by the terminal first: Ctrl-D, in particular,
    /// becomes an end-of-file mark that reaches libedit as a NUL, not as Ctrl-D.
    @discardableResult
    func waitForKeyboard(within timeout: TimeInterval = defaultTimeout) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var mode = termios()
        while deadline.timeIntervalSinceNow > 0, process.isRunning {
            if tcgetattr(replica, &mode) == 0, mode.c_lflag & tcflag_t(ICANON) == 0 { return true }
            readAvailable(waitingAtMost: 0.01)
        }
        return false
    }

    /// Types `keys` (raw bytes: "\r" is Enter, "\t" Tab, "\u{1b}[A" the Up arrow, "\u{04}" Ctrl-D)
    /// once the program reads single keys.
    func send(_ keys: String) {
        waitForKeyboard()
        var bytes = Array(keys.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(primary, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Waits until `text` appears in the output after the last match; false when it has not
    /// appeared by the deadline or the program ended without writing it.
    @discardableResult
    func expect(_ text: String, within timeout: TimeInterval = defaultTimeout) -> Bool {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = find(needle) {
                mark = end
                return true
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, !closed else { return false }
            let running = process.isRunning
            let before = output.count
            readAvailable(waitingAtMost: running ? remaining : 0.1)
            // Ended, and nothing more to read: the text will never come.
            if !running, output.count == before { return false }
        }
    }

    /// The output after the last match, as text (for failure messages and extra checks).
    var unmatched: String { String(decoding: output[mark...], as: UTF8.self) }

    /// All the output, as text.
    var transcript: String { String(decoding: output, as: UTF8.self) }

    /// Waits for the program to exit and returns its status, or nil (after killing it) when it
    /// is still running at the deadline.
    func waitForExit(within timeout: TimeInterval = defaultTimeout) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, deadline.timeIntervalSinceNow > 0 {
            readAvailable(waitingAtMost: 0.05)
        }
        guard !process.isRunning else {
            stop()
            return nil
        }
        // Collect what is still in the terminal (the replica stays open here, so no end-of-file).
        var before = -1
        while output.count != before, !closed {
            before = output.count
            readAvailable(waitingAtMost: 0.1)
        }
        return process.terminationStatus
    }

    /// Kills the program if it is still running.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Reads what the program has written, waiting up to `seconds` for something to arrive.
    private func readAvailable(waitingAtMost seconds: TimeInterval) {
        var descriptor = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(1, min(seconds, 1) * 1000)))
        guard ready > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
        if count > 0 {
            output.append(contentsOf: buffer[..<count])
        } else if count == 0 || errno != EINTR && errno != EAGAIN {
            // The terminal is unusable (EIO and the like): stop reading from it.
            closed = true
        }
    }

    /// The end of the first occurrence of `needle` at or after `mark`.
    private func find(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty else { return mark }
        guard output.count - mark >= needle.count else { return nil }
        for start in mark...(output.count - needle.count) where output[start] == needle[0] {
            if output[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }
}
