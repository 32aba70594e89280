public import ArgumentParser
import Foundation
import MedAnalysis
import MedExtract
import MedIndex
import MedIngest
import MedSearch

/// The `medsearch` command line. `Sources/medsearch/main.swift` only calls `main()` on it.
public struct MedSearchCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "medsearch",
        abstract: "Search a folder of healthcare career articles by the passages that answer you.",
        discussion: """
        Quick start:
          medsearch search "MRI technologist certification"   (indexes ./Corpus into ./Index on first use)
          medsearch index ~/articles --index ~/articles-index
          medsearch repl

        Exit codes: 0 results found / success, 1 no results, 2 error, 64 usage.
        """,
        version: version,
        subcommands: [
            SearchCommand.self, IndexCommand.self, ReplCommand.self, ShowCommand.self, ExtractCommand.self,
            StatsCommand.self, CheckCommand.self, EvalCommand.self,
        ],
        defaultSubcommand: SearchCommand.self
    )

    public init() {}
}

/// `--index`, shared by every command that reads or writes an index.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index folder (default: $MEDSEARCH_INDEX, else ./Index).", valueName: "dir"))
    var index: String?

    /// The folder, and whether it is the default location (for auto-indexing ./Corpus).
    var resolved: (url: URL, isDefault: Bool) {
        if let index { return (URL(fileURLWithPath: index), false) }
        if let environment = ProcessInfo.processInfo.environment["MEDSEARCH_INDEX"], !environment.isEmpty {
            return (URL(fileURLWithPath: environment), false)
        }
        return (URL(fileURLWithPath: "Index"), true)
    }
}

/// Fails the command with a `medsearch: error:` line and exit status 2.
func fail(_ message: String) -> ExitCode {
    Diagnostics.error(message)
    return ExitCode(ExitStatus.failure.rawValue)
}

/// Opens the index, or explains how to make one.
func openIndex(_ location: IndexLocation) throws -> IndexReader {
    let folder = location.resolved.url
    do {
        return try IndexReader(at: folder)
    } catch {
        throw fail(error.description)
    }
}

/// Writes to stdout; text is flushed at the end of each command.
func output(_ text: String) {
    print(text)
}
