/// Decoding helpers for files people edit: every key optional (defaults apply), unknown keys rejected by name.
public struct AnyKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

public enum StrictDecoding {
    /// Throws when the object at `decoder` has a key outside `known` (camelCase, as the snake_case decoder gives them).
    public static func rejectUnknownKeys(_ decoder: any Decoder, known: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let path = keyPath(decoder.codingPath + [key])
            let expected = known.sorted().map(snakeCase).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown key \"\(path)\" (known keys here: \(expected))"))
        }
    }

    /// A decoding error as one line naming the key at fault (snake_case, dotted path).
    public static func describe(_ error: DecodingError) -> String {
        func key(_ path: [any CodingKey]) -> String { keyPath(path) }
        switch error {
        case .typeMismatch(let type, let context):
            return "\"\(key(context.codingPath))\" has the wrong type (expected \(type))"
        case .valueNotFound(_, let context):
            return "\"\(key(context.codingPath))\" is null"
        case .keyNotFound(let k, let context):
            return "\"\(key(context.codingPath + [k]))\" is missing"
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("unknown key") { return context.debugDescription }
            return context.codingPath.isEmpty ? "not valid JSON: \(context.debugDescription)" : "\"\(key(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// A coding path as a person writes it: `events[2].points`.
    public static func keyPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + snakeCase(key.stringValue) }
        }
        return out
    }

    public static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent.
    public func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
