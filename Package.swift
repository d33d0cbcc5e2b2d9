// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every target.
let swiftSettings: [SwiftSetting] = [
    // Spell out `any` for existentials, so that their cost is visible where they are used.
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees the members of the modules it imports, not of whatever those import in turn.
    .enableUpcomingFeature("MemberImportVisibility"),
    // An import is internal unless marked `public import`: a module's public API shows which modules it exposes.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "leadscore",
    platforms: [.macOS(.v14)],
    products: [
        // Public products: the command-line tool and the library it is a thin face over.
        .executable(name: "leadscore", targets: ["leadscore"]),
        .library(name: "LeadScoring", targets: ["Scoring", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP server of `leadscore serve`; its tests talk to it over a plain loopback socket, so the
        // heavier HummingbirdTesting (async-http-client, NIOSSL) is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // HTTP parts as swift-http-types values (HTTPRequestPart), which Hummingbird's HTTP/1 pipeline carries; already
        // built for Hummingbird, named here because `ScoreChannelHandler` sits in that pipeline.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // PostgreSQL as a source and a destination (`"database"` in a source description, `score --into`): the wire
        // protocol in Swift on the same SwiftNIO as the server, with TLS for sslmode.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // MARK: The command-line tool: parsing and printing only.
        .executableTarget(
            name: "leadscore",
            dependencies: [
                "LeadServer", "Reports", "Benchmarks", "Workflows", "LeadDatabase", "ModelRegistry", "Scoring", "Evaluation", "Rules", "Training", "Features", "LeadData", "LinearAlgebra",
                "SyntheticLeads",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Library modules, top to bottom; none reaches up.
        // The HTTP scoring service: a thin face over Scoring, like the CLI, which reads leads by id from LeadDatabase
        // (`serve --source`). Its OpenAPI document is read by the tests.
        .target(
            name: "LeadServer",
            dependencies: [
                "WebPages", "LeadDatabase", "Workflows", "ModelRegistry", "Scoring", "Rules", "Evaluation", "Features", "LeadData", "LinearAlgebra",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            exclude: ["openapi.json"],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL: connection settings (URL, PG* variables, sslmode), tables and queries streamed into the CSV readers,
        // and scores written back. A face over LeadData like the CSV files, so that nothing above knows where rows come from.
        .target(
            name: "LeadDatabase",
            dependencies: [
                "LeadData",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The web page of `leadscore serve`, as HTML built in Swift (escaped by its type): the model card with its charts,
        // the score form, the open leads and a lead's page. No server code: LeadServer frames and answers it.
        .target(name: "WebPages", dependencies: ["Reports", "Workflows", "ModelRegistry", "Scoring", "Evaluation", "Rules", "Features", "LeadData"], swiftSettings: swiftSettings),
        // `leadscore bench`: every stage timed on data the generator makes; the only user of SyntheticLeads besides `generate`.
        .target(name: "Benchmarks", dependencies: ["Workflows", "Scoring", "Rules", "Training", "Features", "LeadData", "LinearAlgebra", "SyntheticLeads"], swiftSettings: swiftSettings),
        .target(name: "Reports", dependencies: ["Workflows", "ModelRegistry", "Scoring", "Evaluation", "Rules", "Training", "Features", "LeadData"], swiftSettings: swiftSettings),
        // The jobs the CLI, the server, the demo and the tests share: train, snapshot, score, compare, demo, retrain.
        .target(name: "Workflows", dependencies: ["ModelRegistry", "Scoring", "Evaluation", "Rules", "Training", "Features", "LeadData", "LinearAlgebra"], swiftSettings: swiftSettings),
        // A folder of model files named by content hash, an append-only log of decisions, and the current-model pointer.
        .target(name: "ModelRegistry", dependencies: ["Scoring", "LeadData"], swiftSettings: swiftSettings),
        // The model file, the scorers, the explainer and the output formatter.
        .target(name: "Scoring", dependencies: ["Evaluation", "Rules", "Training", "Features", "LeadData", "LinearAlgebra"], swiftSettings: swiftSettings),
        .target(name: "Evaluation", swiftSettings: swiftSettings),
        .target(name: "Rules", dependencies: ["LeadData"], swiftSettings: swiftSettings),
        .target(name: "Training", dependencies: ["LeadData", "LinearAlgebra"], swiftSettings: swiftSettings),
        .target(name: "Features", dependencies: ["LeadData", "LinearAlgebra"], swiftSettings: swiftSettings),
        .target(name: "LeadData", swiftSettings: swiftSettings),
        .target(name: "SyntheticLeads", dependencies: ["LeadData"], swiftSettings: swiftSettings),
        .target(name: "LinearAlgebra", dependencies: ["_COpenBLAS", "_CKernels"], swiftSettings: swiftSettings),

        // MARK: Implementation details.
        // OpenBLAS (CBLAS) and LAPACKE; Debian's OpenBLAS is built without LAPACKE, so both are linked.
        .systemLibrary(
            name: "_COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // The trainer's Gram-matrix kernel (AVX2/FMA chosen at run time), in C for its vector intrinsics. Optimised in
        // debug builds too: unoptimised intrinsics made the test suite several times slower.
        .target(name: "_CKernels", cSettings: [.unsafeFlags(["-O2"])]),

        // MARK: Tests.
        // What several test targets share: a plain HTTP/1.1 client over a socket, the sample fixtures, a throwaway
        // PostgreSQL cluster (PostgresCluster) that the database tests start and stop, and a headless Chromium driven
        // over WebDriver (Browser) for the web page's tests.
        .target(name: "_TestSupport", dependencies: ["Workflows", "Scoring", "Training", "Features", "LeadData"], path: "Tests/_TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "LeadData"], swiftSettings: swiftSettings),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "_CKernels"], swiftSettings: swiftSettings),
        .testTarget(name: "LeadDataTests", dependencies: ["LeadData"], swiftSettings: swiftSettings),
        .testTarget(name: "SyntheticLeadsTests", dependencies: ["SyntheticLeads", "LeadData"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Features", "LeadData", "LinearAlgebra"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "WebPagesTests", dependencies: ["WebPages"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"], swiftSettings: swiftSettings),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "LeadData", "LinearAlgebra", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Training", "Features", "LeadData", "LinearAlgebra", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "Evaluation", "Scoring", "Rules", "Training", "Features", "LeadData", "LinearAlgebra", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "LeadServerTests", dependencies: ["LeadServer", "WebPages", "Workflows", "ModelRegistry", "Scoring", "Rules", "Training", "Features", "LeadData", "_TestSupport",
                                                          .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                                                          .product(name: "HTTPTypes", package: "swift-http-types")],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        // The command line, run as a user runs it: depends on the executable so that it is built before these tests.
        .testTarget(name: "leadscoreTests", dependencies: ["leadscore", "Evaluation", "_TestSupport"], exclude: ["BadInputs"], swiftSettings: swiftSettings),
    ]
)
