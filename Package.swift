// swift-tools-version:5.10
// AcousticPipe: a batch pipeline that turns audio corpora into HDF5 feature shards.
import PackageDescription

/// A system library found through pkg-config, with the Debian package that provides it.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "AcousticPipe",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipe", targets: ["pipe"]),
        .library(name: "AcousticPipe", targets: ["AudioIO", "DSP", "Features", "Store", "Corpora", "Labels", "Pipeline", "Randomness", "Augment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        systemLibrary("CHDF5", pkgConfig: "hdf5", apt: "libhdf5-dev"),
        systemLibrary("CSndFile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        systemLibrary("CSampleRate", pkgConfig: "samplerate", apt: "libsamplerate0-dev"),
        systemLibrary("CSoxr", pkgConfig: "soxr", apt: "libsoxr-dev"),
        systemLibrary("CFFTW", pkgConfig: "fftw3", apt: "libfftw3-dev"),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        systemLibrary("CNettle", pkgConfig: "nettle", apt: "nettle-dev"),

        .target(name: "AudioIO", dependencies: ["CSndFile", "CSampleRate", "CSoxr"]),
        .target(name: "DSP", dependencies: ["CFFTW", "COpenBLAS", "CSoxr"]),
        .target(name: "Features", dependencies: ["DSP"]),
        .target(name: "Store", dependencies: [
            "CHDF5", "CNettle",
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        // The seeded generator and the per-row seed: used by synthesis, the shard plan and augmentation.
        .target(name: "Randomness"),
        .target(name: "Augment", dependencies: ["DSP", "Randomness"]),
        .target(name: "Corpora", dependencies: [
            "AudioIO", "Randomness",
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(name: "Labels", dependencies: ["Store", "Corpora", .product(name: "Yams", package: "Yams")]),
        .target(name: "Pipeline", dependencies: [
            "AudioIO", "DSP", "Features", "Store", "Corpora", "Labels", "Randomness", "Augment",
            .product(name: "Yams", package: "Yams"),
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .executableTarget(name: "pipe", dependencies: [
            "Pipeline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Deterministic test signals and golden-file loading shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "TestSupport"], resources: [.copy("Goldens")]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "TestSupport"], resources: [.copy("Goldens")]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "AudioIO", "TestSupport"], resources: [.copy("Goldens")]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Labels"]),
        .testTarget(name: "CorporaTests", dependencies: ["Corpora", "Randomness"]),
        .testTarget(name: "AugmentTests", dependencies: ["Augment", "Features", "Randomness", "TestSupport"], resources: [.copy("Goldens")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Randomness", "Labels", "Store"]),
    ]
)
