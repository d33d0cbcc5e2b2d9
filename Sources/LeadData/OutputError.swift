/// A problem writing an output file, as `file: message`.
///
/// Kept apart from ``InputError``: when writing fails, the user's data is fine and the fix is on the
/// output side (a missing folder, permissions, a full disk).
package struct OutputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as the caller gave it.
    package var file: String
    /// What went wrong and, where we can tell, what to do about it.
    package var message: String

    package init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    package var description: String {
        "\(file): \(message)"
    }
}
