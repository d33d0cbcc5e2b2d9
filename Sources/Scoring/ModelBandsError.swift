/// A list of model bands that cannot be used, with what to change (a `--bands` value or a model file's `bands`).
public struct ModelBandsError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
