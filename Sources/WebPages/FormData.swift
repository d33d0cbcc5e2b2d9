/// A form as a browser posts it (`application/x-www-form-urlencoded`) or as a query string: `name=value` pairs in
/// their order, `+` for a space, `%XX` for a byte. Repeated names keep every value in order, which is how the score
/// form sends its rows of events.
public struct FormData: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    public static func == (a: FormData, b: FormData) -> Bool {
        a.pairs.elementsEqual(b.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    public init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Reads `bytes`; a malformed escape (`%G1`, a lone `%`) is kept as it is, and bytes that are not UTF-8 become
    /// U+FFFD, as browsers read them: a form is typed by a person, and refusing it whole helps nobody.
    public init<Bytes: Collection<UInt8>>(urlEncoded bytes: Bytes) {
        var pairs: [(String, String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let halves = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(halves[0])
            let value = halves.count > 1 ? Self.decode(halves[1]) : ""
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    private static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let a = bytes.index(i, offsetBy: 1, limitedBy: bytes.endIndex), a != bytes.endIndex,
                      let b = bytes.index(a, offsetBy: 1, limitedBy: bytes.endIndex), b != bytes.endIndex,
                      let high = hex(bytes[a]), let low = hex(bytes[b]) {
                out.append(high << 4 | low)
                i = b
            } else {
                out.append(byte)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
