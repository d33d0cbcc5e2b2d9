/// What reading a column learns about it, to decide its kind: numbers, categories, or neither (numbers with a few
/// stray words, numbers written in a format nobody described, dates), which must not silently become categories.
struct TableColumnSurvey {
    /// How the options say to treat the column.
    enum Mode {
        case ignored, forcedNumeric, forcedCategorical, detect
    }

    let mode: Mode
    /// Values that parsed as numbers (finite or not).
    var numbers = 0
    /// Values that did not: `dates + grouped + plain`.
    var texts = 0
    /// Texts that read as dates (ISO 8601, or the file's date formats).
    var dates = 0
    /// Texts that read as numbers in another notation (`1,127,228`, `3,5`), with the format that reads them.
    var grouped = 0
    var groupedFormat = ""
    /// The first value of each sort of text, with its line.
    var firstPlain: (text: String, line: Int)?
    var firstGrouped: (text: String, line: Int)?
    var firstDate: (text: String, line: Int)?

    init(mode: Mode) {
        self.mode = mode
    }

    /// Whether every non-missing value so far parsed as a number (finite or not).
    var allNumeric: Bool { texts == 0 }
    /// Texts that are neither dates nor numbers in another notation: words.
    var plain: Int { texts - dates - grouped }

    /// Takes a number or a missing value into account.
    mutating func observe(_ field: NumericField) {
        switch field {
        case .missing, .notNumeric: break
        case .value, .nonFinite: numbers += 1
        }
    }

    /// Takes a value that is not a number into account: `bytes` as written, `isDate` whether it reads as a date.
    mutating func observeText(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, isDate: (UnsafeBufferPointer<UInt8>) -> Bool) {
        texts += 1
        // A word (the common case, and every categorical column) is neither a date nor a number: no parsing.
        if let first = bytes.first, first &- 0x30 >= 10, first != UInt8(ascii: "-"), first != UInt8(ascii: "+"), first != UInt8(ascii: ".") {
            if firstPlain == nil { firstPlain = (HistoryRows.shown(bytes), line) }
            return
        }
        if isDate(bytes) {
            dates += 1
            if firstDate == nil { firstDate = (HistoryRows.shown(bytes), line) }
        } else if let format = Self.otherNotation(bytes) {
            grouped += 1
            if firstGrouped == nil { firstGrouped = (HistoryRows.shown(bytes), line) }
            if groupedFormat.isEmpty { groupedFormat = format }
        } else if firstPlain == nil {
            firstPlain = (HistoryRows.shown(bytes), line)
        }
    }

    /// The source description's format that would read `bytes` as a number, or nil.
    private static func otherNotation(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if case .value = NumericField.parse(bytes, thousands: UInt8(ascii: ","), decimal: UInt8(ascii: ".")) {
            return "\"thousands\": \",\""
        }
        if case .value = NumericField.parse(bytes, thousands: UInt8(ascii: "."), decimal: UInt8(ascii: ",")) {
            return bytes.contains(UInt8(ascii: ".")) ? "\"thousands\": \".\", \"decimal\": \",\"" : "\"decimal\": \",\""
        }
        return nil
    }

    /// Whether the column is read as numbers.
    var isNumeric: Bool {
        switch mode {
        case .forcedNumeric: true
        case .detect: allNumeric && numbers > 0
        case .ignored, .forcedCategorical: false
        }
    }

    /// What a detected column that is not all numbers proves to be.
    enum Verdict: Equatable {
        /// Categories (words, or a mix too even to be numbers with a few mistakes).
        case categorical
        /// Dates: left out with a note, never a category per day.
        case dates
        /// Numbers with a few words among them: an error at the first word.
        case strayText(text: String, line: Int, others: Int)
        /// Numbers written with a separator or decimal mark the file's format does not describe: an error.
        case otherNotation(text: String, line: Int, format: String)
    }

    /// The verdict on a detected column that is not numeric; "a few" words is at most 3, or at most 1% of the values.
    var verdict: Verdict {
        guard mode == .detect, texts > 0 else { return .categorical }
        let values = numbers + texts
        if dates > 0, dates * 100 >= values * 99 { return .dates }
        let few = plain <= 3 || plain * 100 <= values
        let numberLike = numbers + grouped
        if plain == 0, grouped > 0, let first = firstGrouped {
            return .otherNotation(text: first.text, line: first.line, format: groupedFormat)
        }
        if plain > 0, few, numberLike >= 9 * plain, dates == 0, let first = firstPlain {
            return .strayText(text: first.text, line: first.line, others: numberLike)
        }
        return .categorical
    }

    /// The message for a NaN, Inf or overflowing value in numeric column `name`.
    static func nonFiniteMessage(column name: String, text: String) -> String {
        // A literal that starts like a number but came out infinite overflowed; the rest are NaN/Inf spellings.
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        if let first = unsigned.first, first == "." || first.isASCII && first.isNumber {
            return "column \"\(name)\": \(text) is too large for a Double"
        }
        return "column \"\(name)\": \(text) is not a usable number"
    }
}
