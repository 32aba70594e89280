// swift-tools-version: 6.0
//
// MedSearch fuzzing: a separate package so that `swift build`, `swift test` and CI never build it.
// Three libFuzzer targets, built with `-sanitize=fuzzer,address -DFUZZING` by `./run`:
//   fuzz-extract  HTML bytes → ArticleExtractor → analyzer
//   fuzz-query    query text → QueryParser → compile and search against a small index
//   fuzz-index    a small valid index with one file damaged by the input → IndexReader → searches
// A plain `swift build` (no -DFUZZING) still links: each target then replays files given on the
// command line once, without libFuzzer.
import PackageDescription

let package = Package(
    name: "MedSearchFuzz",
    dependencies: [
        .package(name: "MedSearch", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (SwiftPM supplies its own `main`, so the fuzz
        // executables start libFuzzer themselves).
        .target(name: "CFuzzerDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver", .product(name: "MedSearchKit", package: "MedSearch")]
        ),
        .executableTarget(name: "fuzz-extract", dependencies: ["FuzzSupport", .product(name: "MedSearchKit", package: "MedSearch")]),
        .executableTarget(name: "fuzz-query", dependencies: ["FuzzSupport", .product(name: "MedSearchKit", package: "MedSearch")]),
        .executableTarget(name: "fuzz-index", dependencies: ["FuzzSupport", .product(name: "MedSearchKit", package: "MedSearch")]),
    ],
    swiftLanguageModes: [.v6]
)
