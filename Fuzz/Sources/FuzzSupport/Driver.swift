import Foundation
#if FUZZING
import CFuzzerDriver
#endif

/// Starts a fuzz target. Built with `-DFUZZING -sanitize=fuzzer,address` (see `Fuzz/run`), it hands
/// control to libFuzzer with the process's arguments (`-max_total_time=`, corpus folders, ...).
/// Built without `-DFUZZING`, it runs `body` once on each file named on the command line, so a
/// crash input can be replayed under a debugger or a plain build.
public enum FuzzDriver {
    /// The target's body; libFuzzer calls a C function, which forwards here.
    nonisolated(unsafe) private static var body: (UnsafeRawBufferPointer) -> Void = { _ in }

    public static func main(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        Self.body = body
        setenv("SWIFT_BACKTRACE", "enable=no", 0)
#if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.body(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
#else
        let files = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
        if files.isEmpty {
            FileHandle.standardError.write(Data("built without -DFUZZING: give input files to replay, or use Fuzz/run\n".utf8))
            exit(64)
        }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            data.withUnsafeBytes { Self.body($0) }
            print("ran \(path) (\(data.count) bytes)")
        }
        exit(0)
#endif
    }
}
