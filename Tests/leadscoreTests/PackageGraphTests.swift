import Foundation
import Testing

/// Package.swift declares exactly what each target imports: no module used without being declared (it would build only
/// by accident, through another target's dependency), and none declared without being used.
@Suite struct PackageGraphTests {
    struct Target {
        var name: String
        var isTest: Bool
        var dependencies: Set<String>
        var folder: String
    }

    /// The targets of Package.swift: name, declared dependencies (targets and products), source folder.
    static func targets() throws -> [Target] {
        let manifest = try String(contentsOf: CLI.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declaration = try Regex(#"\.(target|executableTarget|testTarget)\(\s*name: "([^"]+)""#)
        let starts = manifest.matches(of: declaration)
        return try starts.enumerated().map { k, match in
            let end = k + 1 < starts.count ? starts[k + 1].range.lowerBound : manifest.endIndex
            let text = String(manifest[match.range.lowerBound..<end])
            let kind = String(match.output[1].substring ?? "")
            let name = String(match.output[2].substring ?? "")
            var dependencies = Set<String>()
            if let list = text.firstMatch(of: try Regex(#"dependencies:\s*\[([^\]]*)\]"#))?.output[1].substring {
                for product in list.matches(of: try Regex(#"\.product\(name: "([^"]+)""#)) {
                    dependencies.insert(String(product.output[1].substring ?? ""))
                }
                let plain = list.replacing(try Regex(#"\.product\([^)]*\)"#), with: "")
                for target in plain.matches(of: try Regex(#""([A-Za-z_]+)""#)) {
                    dependencies.insert(String(target.output[1].substring ?? ""))
                }
            }
            let path = text.firstMatch(of: try Regex(#"path: "([^"]+)""#))?.output[1].substring.map(String.init)
            return Target(name: name, isTest: kind == "testTarget", dependencies: dependencies,
                          folder: path ?? (kind == "testTarget" ? "Tests/" : "Sources/") + name)
        }
    }

    /// The modules `folder`'s Swift files import.
    static func imports(_ folder: String) throws -> Set<String> {
        let root = CLI.root.appendingPathComponent(folder)
        var found = Set<String>()
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        let line = try Regex(#"(?m)^(?:@testable |public |package )?import (\w+)"#)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: line) {
                found.insert(String(match.output[1].substring ?? ""))
            }
        }
        return found
    }

    @Test func everyTargetDeclaresWhatItImportsAndNothingElse() throws {
        let targets = try Self.targets()
        #expect(targets.count >= 25, "found \(targets.count) targets")
        let ours = Set(targets.map(\.name)).union(["_COpenBLAS"])  // the system library target
        // The products of other packages a target may name.
        let products: Set<String> = ["ArgumentParser", "Hummingbird", "HummingbirdCore", "NIOCore", "NIOPosix", "NIOHTTPTypes",
                                     "NIOHTTPTypesHTTP1", "NIOHTTP1", "NIOConcurrencyHelpers", "HTTPTypes", "Logging",
                                     "ServiceLifecycle", "UnixSignals", "PostgresNIO", "NIOSSL"]
        for target in targets {
            let used = try Self.imports(target.folder).intersection(ours.union(products))
            // The command-line tests run the built binary: they depend on it without importing it.
            let declared = target.name == "leadscoreTests" ? target.dependencies.subtracting(["leadscore"]) : target.dependencies
            #expect(used.subtracting(declared).isEmpty, "\(target.name) imports \(used.subtracting(declared).sorted()) without declaring them")
            #expect(declared.subtracting(used).isEmpty, "\(target.name) declares \(declared.subtracting(used).sorted()) without importing them")
        }
    }
}
