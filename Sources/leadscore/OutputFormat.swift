import ArgumentParser

/// Human text or machine JSON.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
