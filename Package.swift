// swift-tools-version: 6.0
//
// MedSearch: a local full-text search engine for healthcare career articles.
//
// Module graph (each stage depends only on the ones before it):
//   medsearch (exe) → MedCommands → MedSearch → MedIndex → MedAnalysis, MedDocument, CCRC32C
//                        ↘ MedIngest → MedExtract → MedDocument, CLibXML2
//                                    ↘ MedIndex
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "MedSearch",
    products: [
        .executable(name: "medsearch", targets: ["medsearch"]),
        .library(
            name: "MedSearchKit",
            targets: ["MedDocument", "MedExtract", "MedAnalysis", "MedIndex", "MedIngest", "MedSearch"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // libxml2's HTML parser; the only C dependency needed at build time.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Value types shared by every stage: Article, Section, Passage.
        .target(name: "MedDocument", swiftSettings: swiftSettings),
        // HTML file → Article (main-content extraction). libxml2 is confined here.
        .target(name: "MedExtract", dependencies: ["MedDocument", "CLibXML2"], swiftSettings: swiftSettings),
        // Text → tokens: tokenizer, folding, stopwords, Porter2, healthcare vocabulary.
        .target(name: "MedAnalysis", swiftSettings: swiftSettings),
        // CRC-32C with the CPU's instruction when it has one (file checksums).
        .target(name: "CCRC32C"),
        // The on-disk index: writer, reader, binary format (see FORMAT.md).
        .target(name: "MedIndex", dependencies: ["MedDocument", "MedAnalysis", "CCRC32C"], swiftSettings: swiftSettings),
        // Corpus folder (HTML or JSONL) → index: incremental, parallel extraction.
        .target(name: "MedIngest", dependencies: ["MedExtract", "MedIndex", "MedAnalysis", "MedDocument"], swiftSettings: swiftSettings),
        // Query language, BM25F ranking, top-k, passages and highlighting.
        .target(name: "MedSearch", dependencies: ["MedIndex", "MedAnalysis", "MedDocument"], swiftSettings: swiftSettings),
        // The command-line front end as a testable library.
        .target(
            name: "MedCommands",
            dependencies: [
                "MedSearch", "MedIngest", "MedIndex", "MedExtract", "MedAnalysis", "MedDocument",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "medsearch", dependencies: ["MedCommands"], swiftSettings: swiftSettings),

        // Helpers shared by the test targets (seeded randomness); never linked into the product.
        .target(name: "MedTestSupport", path: "Tests/MedTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "MedDocumentTests", dependencies: ["MedDocument"], swiftSettings: swiftSettings),
        .testTarget(name: "MedExtractTests", dependencies: ["MedExtract", "MedTestSupport"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "MedAnalysisTests", dependencies: ["MedAnalysis", "MedTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MedIndexTests", dependencies: ["MedIndex", "MedAnalysis", "MedDocument", "MedTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "MedIngestTests", dependencies: ["MedIngest", "MedSearch", "MedTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MedSearchTests", dependencies: ["MedSearch", "MedIndex", "MedAnalysis", "MedDocument", "MedTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MedCommandsTests",
            dependencies: ["MedCommands", "medsearch"],
            exclude: ["Golden"],  // read from the source tree by GoldenTests (#filePath)
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
