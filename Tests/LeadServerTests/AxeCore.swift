import Foundation

/// The vendored axe-core (`Fixtures/axe/axe.min.js`, 4.12.1; see the README there), for
/// `Browser.accessibilityViolations(axeScript:)`.
enum AxeCore {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/axe/axe.min.js").path

    /// The script's source, read once.
    static func script() throws -> String { try loaded.get() }

    private static let loaded = Result { try String(contentsOfFile: path, encoding: .utf8) }
}
