// swift-tools-version: 6.0
import PackageDescription

/// Strict settings, as swift-log uses them: Swift 6 language mode everywhere
/// plus the upcoming features that keep APIs explicit.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "retmpl",
    products: [
        .library(name: "RetmplTemplate", targets: ["RetmplTemplate"]),
        .library(name: "RetmplFunctions", targets: ["RetmplFunctions"]),
        .library(name: "RetmplRegistry", targets: ["RetmplRegistry"]),
        .library(name: "RetmplRuntime", targets: ["RetmplRuntime"]),
        .library(name: "RetmplConfig", targets: ["RetmplConfig"]),
        .executable(name: "retmpl", targets: ["retmpl"]),
        .executable(name: "retmpl-bench", targets: ["retmpl-bench"]),
    ],
    targets: [
        // The language: lexer, parser, AST, executor, Go's fmt. No registry knowledge.
        .target(name: "RetmplTemplate", swiftSettings: strict),
        // Registry data model, dependency query grammar, snapshot source.
        .target(name: "RetmplRegistry", dependencies: ["RetmplTemplate", "COpenSSL"], swiftSettings: strict),
        // The system's OpenSSL (Debian's libssl-dev) for HTTPS to Consul.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // consul-template's function library and the complete-pass renderer.
        .target(name: "RetmplFunctions", dependencies: ["RetmplTemplate", "RetmplRegistry"], swiftSettings: strict),
        // Turning renders into files and reloads: atomic writes, commands, supervision.
        .target(name: "RetmplRuntime", dependencies: ["RetmplTemplate", "RetmplRegistry", "RetmplFunctions", "CRetmplSystem"], swiftSettings: strict),
        // consul-template's configuration files (HCL and JSON): parsing, decoding, merging.
        .target(name: "RetmplConfig", swiftSettings: strict),
        // What Glibc's Swift module hides (pipe2, …).
        .target(name: "CRetmplSystem"),
        .executableTarget(name: "retmpl", dependencies: ["RetmplTemplate", "RetmplRegistry", "RetmplFunctions", "RetmplRuntime", "RetmplConfig"], swiftSettings: strict),
        // libFuzzer target (build with -sanitize=fuzzer -DRETMPL_FUZZ); a replay tool otherwise.
        .executableTarget(name: "retmpl-fuzz", dependencies: ["RetmplTemplate", "RetmplRegistry", "RetmplFunctions"], swiftSettings: strict),
        .executableTarget(name: "retmpl-bench", dependencies: ["RetmplTemplate", "RetmplRegistry", "RetmplFunctions", "RetmplRuntime", "RetmplTestSupport"], swiftSettings: strict),
        // Test helpers shared by the test targets: the fake Consul process, registry drivers.
        .target(name: "RetmplTestSupport", dependencies: ["RetmplRegistry"], path: "Tests/Support/RetmplTestSupport", swiftSettings: strict),
        .testTarget(name: "RetmplTemplateTests", dependencies: ["RetmplTemplate"], swiftSettings: strict),
        // Real haproxy and nginx under load, driven through the built retmpl binary.
        .testTarget(name: "RetmplEndToEndTests", dependencies: ["RetmplTestSupport"], swiftSettings: strict),
        .testTarget(name: "RetmplConfigTests", dependencies: ["RetmplConfig"], swiftSettings: strict),
        .testTarget(name: "RetmplRuntimeTests", dependencies: ["RetmplRuntime", "RetmplRegistry", "RetmplFunctions", "RetmplTemplate", "RetmplTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RetmplFunctionsTests",
            dependencies: ["RetmplTemplate", "RetmplRegistry", "RetmplFunctions", "RetmplTestSupport"],
            // Templates/: goldens of the shipped templates, read by path next to the test.
            exclude: ["Templates"],
            resources: [.copy("Cases")],
            swiftSettings: strict),
    ]
)
