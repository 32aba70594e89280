// swift-tools-version: 6.0
//
// MedSearch benchmarks: a separate package so that `swift test` and CI never build or run them.
// Build and run from this folder:  swift run -c release medsearch-bench help
import PackageDescription

let package = Package(
    name: "MedSearchBenchmarks",
    dependencies: [
        .package(name: "MedSearch", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "medsearch-bench",
            dependencies: [.product(name: "MedSearchKit", package: "MedSearch")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
