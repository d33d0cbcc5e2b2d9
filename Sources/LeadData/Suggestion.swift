import Foundation

/// "Did you mean": the closest of some names to a name given, for subcommands and column names typed a little wrong.
package enum Suggestion {
    /// The name in `names` equal to `given` ignoring case, or else the nearest by edit distance when it is near enough
    /// (at most a third of the name's length, and at least 1); nil when none is.
    package static func closest(to given: String, in names: [String]) -> String? {
        closest(to: given, in: names) { $0.lowercased() }
    }

    /// As ``closest(to:in:)``, with case, spaces and punctuation ignored: `demo_request` finds `Demo Requested`, as a
    /// rules file written for one CRM's event names meets another's.
    package static func closest(ignoringPunctuation given: String, in names: [String]) -> String? {
        closest(to: given, in: names) { String($0.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init)) }
    }

    /// The name whose `key` equals the key of `given`, or else the nearest by edit distance between keys, when near
    /// enough.
    private static func closest(to given: String, in names: [String], key: (String) -> String) -> String? {
        let wanted = key(given)
        if let same = names.first(where: { key($0) == wanted }) { return same }
        let scored = names.map { (name: $0, distance: distance(wanted, key($0))) }
        guard let best = scored.min(by: { ($0.distance, $0.name) < ($1.distance, $1.name) }) else { return nil }
        return best.distance <= max(1, wanted.count / 3) ? best.name : nil
    }

    /// `" (did you mean \"x\"?)"`, or nothing.
    package static func phrase(_ given: String, in names: [String]) -> String {
        closest(to: given, in: names).map { " (did you mean \(Echo.quoted($0))?)" } ?? ""
    }

    /// Levenshtein distance, a transposition counting as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
