import Foundation
@testable import LeadData
import Testing

/// Reading a whole table: kinds detected and forced, missing values, level order, row lines and errors.
@Suite struct TableTests {
    /// Reads `text` as a table (also with 3-byte chunks, which must agree) and returns it, or the error's text.
    func read(_ text: String, options: TableReadOptions = .init()) -> Result<Table, InputError> {
        let path = TemporaryFiles.write(text, name: "leads.csv")
        defer { TemporaryFiles.remove(path) }
        let result: Result<Table, InputError>
        do throws(InputError) {
            result = .success(try Table.read(path: path, options: options))
        } catch {
            #expect(error.file == path)
            result = .failure(InputError(file: "leads.csv", line: error.line, message: error.message))
        }
        let small: Result<Table, InputError>
        do throws(InputError) {
            small = .success(try Table.read(path: path, options: options, chunkSize: 3))
        } catch {
            small = .failure(InputError(file: "leads.csv", line: error.line, message: error.message))
        }
        switch (result, small) {
        case (.success(let a), .success(let b)):
            #expect(a.rowLines == b.rowLines)
            #expect(a.columns.map(\.name) == b.columns.map(\.name))
        case (.failure(let a), .failure(let b)):
            #expect(a == b)
        default:
            Issue.record("default and small chunks disagree")
        }
        return result
    }

    func errorText(_ text: String, options: TableReadOptions = .init()) -> String? {
        if case .failure(let error) = read(text, options: options) { return error.description }
        return nil
    }

    func numbers(_ column: TableColumn?) -> [Double]? {
        if case .numeric(let values) = column?.values { return values }
        return nil
    }

    func categories(_ column: TableColumn?) -> (codes: [Int32], levels: [String])? {
        if case .categorical(let codes, let levels) = column?.values { return (codes, levels) }
        return nil
    }

    @Test func kindsAreDetectedFromTheValues() throws {
        let table = try read("id,size,source,score\n1,10,web,0.5\n2,,ads,1e3\n3,7,web,-2\n").get()
        #expect(table.rowCount == 3)
        #expect(table.columns.map(\.name) == ["id", "size", "source", "score"])
        #expect(numbers(table.column(named: "id")) == [1, 2, 3])
        #expect(numbers(table.column(named: "score")) == [0.5, 1000, -2])
        let size = try #require(numbers(table.column(named: "size")))
        #expect(size[0] == 10 && size[1].isNaN && size[2] == 7)
        #expect(table.column(named: "size")?.missingCount == 1)
        let source = try #require(categories(table.column(named: "source")))
        #expect(source.levels == ["web", "ads"])
        #expect(source.codes == [0, 1, 0])
        #expect(table.column(named: "absent") == nil)
    }

    @Test func oneNonNumberMakesAColumnCategoricalWithLevelsInOrderOfAppearance() throws {
        let table = try read("zip\n02134\n\n10001\nN/A\n02134\n".replacingOccurrences(of: "\n\n", with: "\n\"\"\n")).get()
        let zip = try #require(categories(table.column(named: "zip")))
        #expect(zip.levels == ["02134", "", "10001", "N/A"])
        #expect(zip.codes == [0, 1, 2, 3, 0])
        #expect(table.column(named: "zip")?.missingCount == 1)
    }

    @Test func columnOfEmptyValuesIsCategoricalWithTheEmptyLevel() throws {
        let table = try read("a,b\n1,\n2,\n").get()
        let b = try #require(categories(table.column(named: "b")))
        #expect(b.levels == [""])
        #expect(b.codes == [0, 0])
        #expect(table.column(named: "b")?.missingCount == 2)
    }

    @Test func forcedKindsOverrideDetection() throws {
        let options = TableReadOptions(categorical: ["zip"], numeric: ["score"], ignore: ["notes"])
        let table = try read("zip,score,notes\n02134,1,hello\n10001,,world\n", options: options).get()
        #expect(table.columns.map(\.name) == ["zip", "score"])
        #expect(categories(table.column(named: "zip"))?.levels == ["02134", "10001"])
        let score = try #require(numbers(table.column(named: "score")))
        #expect(score[0] == 1 && score[1].isNaN)
    }

    @Test func nonNumberInADeclaredNumericColumnIsAnErrorAtItsLine() {
        #expect(errorText("id,score\n1,2\n2,abc\n", options: .init(numeric: ["score"]))
            == "leads.csv:3: column \"score\": \"abc\" is not a number (the column was declared numeric)")
    }

    @Test func nanInANumericColumnIsAnError() {
        #expect(errorText("id,score\n1,2\n2,NaN\n3,4\n") == "leads.csv:3: column \"score\": NaN is not a usable number")
        #expect(errorText("id,score\n1,-inf\n", options: .init(numeric: ["score"]))
            == "leads.csv:2: column \"score\": -inf is not a usable number")
    }

    @Test func overflowInANumericColumnIsAnError() {
        #expect(errorText("id,score\n1,2\n2,3\n3,1e999\n") == "leads.csv:4: column \"score\": 1e999 is too large for a Double")
    }

    @Test func firstNonFiniteValueInTheFileIsReported() {
        #expect(errorText("a,b\n1,2\n1e999,inf\n") == "leads.csv:3: column \"a\": 1e999 is too large for a Double")
        #expect(errorText("a,b\n1,inf\n1e999,2\n") == "leads.csv:2: column \"b\": inf is not a usable number")
    }

    @Test func nanSpelledInATextColumnIsJustALevel() throws {
        let table = try read("name\nNaN\nNan Smith\n").get()
        #expect(categories(table.column(named: "name"))?.levels == ["NaN", "Nan Smith"])
    }

    @Test func headerWithoutRowsIsAnError() {
        #expect(errorText("id,score\n") == "leads.csv: the file has a header but no data rows")
        #expect(errorText("id,score\n\r\n\n") == "leads.csv: the file has a header but no data rows")
    }

    @Test func optionsNamingAbsentColumnsAreAnError() {
        #expect(errorText("id,score\n1,2\n", options: .init(numeric: ["scor"]))
            == "leads.csv: column \"scor\" was declared numeric, but the file has no such column (the header has: id, score) (did you mean \"score\"?)")
        #expect(errorText("id,score\n1,2\n", options: .init(ignore: ["notes"]))
            == "leads.csv: column \"notes\" was declared ignored, but the file has no such column (the header has: id, score)")
    }

    @Test func conflictingOptionsAreAnError() {
        #expect(errorText("id,score\n1,2\n", options: .init(categorical: ["score"], numeric: ["score"]))
            == "leads.csv: column \"score\" was declared both categorical and numeric; choose one")
    }

    @Test func rowLinesAccountForEmbeddedNewlinesAndEmptyLines() throws {
        let table = try read("id,note\n1,\"two\nlines\"\n\n2,x\r\n3,\"a\r\nb\r\nc\"\n4,y").get()
        #expect(table.rowLines == [2, 5, 6, 9])
        #expect(categories(table.column(named: "note"))?.levels == ["two\nlines", "x", "a\r\nb\r\nc", "y"])
    }

    @Test func structuralErrorsStopTheRead() {
        #expect(errorText("a,b\n1,2\n3\n") == "leads.csv:3: expected 2 fields (as in the header), found 1")
        #expect(errorText("a,b\n1,\"2\n") == "leads.csv:2: unbalanced quote: the quoted field that starts here never ends")
    }

    @Test func invalidUTF8InACategoricalColumnIsAnErrorAtItsLine() throws {
        let path = TemporaryFiles.write(Array("id,name\n1,Ann\n2,Ren".utf8) + [0xE9, 0x0A], name: "leads.csv")
        defer { TemporaryFiles.remove(path) }
        #expect(throws: InputError(file: path, line: 3, message: "invalid UTF-8 in column \"name\"")) {
            try Table.read(path: path)
        }
    }

    @Test func missingCountCountsNaNAndTheEmptyLevel() {
        #expect(TableColumn(name: "x", values: .numeric([1, .nan, 2, .nan])).missingCount == 2)
        #expect(TableColumn(name: "x", values: .categorical(codes: [0, 1, 1, 0], levels: ["a", ""])).missingCount == 2)
        #expect(TableColumn(name: "x", values: .categorical(codes: [0, 0], levels: ["a"])).missingCount == 0)
    }

    // MARK: - Numbers with a few words, numbers in another notation, dates

    /// Twenty numbers and one word: not a categorical column but an error at the word, counting the numbers.
    @Test func aFewWordsAmongNumbersAreAnErrorNotCategories() {
        let rows = (1...20).map { "\($0)" } + ["three"]
        let error = errorText("size\n" + rows.joined(separator: "\n") + "\n")
        #expect(error == "leads.csv:22: column \"size\": \"three\" is not a number (the other 20 values are)")
        // Declared categorical, it is read as categories.
        let table = try? read("size\n" + rows.joined(separator: "\n") + "\n", options: TableReadOptions(categorical: ["size"])).get()
        #expect(categories(table?.column(named: "size"))?.levels.count == 21)
    }

    /// Numbers with thousands separators the format does not describe: an error that names the format to give; with
    /// it, numbers.
    @Test func numbersWithThousandsSeparatorsNeedTheFormat() throws {
        let text = "revenue\n\"1,127,228\"\n500\n\"12,000.5\"\n"
        #expect(errorText(text) == "leads.csv:2: column \"revenue\": \"1,127,228\" is a number written with a separator the file's format does not describe: say so in the source description's format (\"thousands\": \",\")")
        let path = TemporaryFiles.write(text, name: "leads.csv")
        defer { TemporaryFiles.remove(path) }
        var format = CSVFormat.standard
        format.thousands = UInt8(ascii: ",")
        let table = try Table.read(file: SourceFile(path: path, format: format))
        #expect(numbers(table.column(named: "revenue")) == [1_127_228, 500, 12_000.5])
    }

    /// Decimal commas (a European export) are suggested as such.
    @Test func decimalCommasAreSuggested() {
        #expect(errorText("rate;x\n3,5;a\n".replacingOccurrences(of: ";", with: ",").replacingOccurrences(of: "3,5", with: "\"3,5\"")) ==
                "leads.csv:2: column \"rate\": \"3,5\" is a number written with a separator the file's format does not describe: say so in the source description's format (\"decimal\": \",\")")
    }

    /// A column of dates is left out with a note, never a category per date.
    @Test func aColumnOfDatesIsLeftOutWithANote() throws {
        let table = try read("signup,plan\n2024-01-05,a\n2024-02-07T10:00:00Z,b\n,a\n").get()
        #expect(table.columns.map(\.name) == ["plan"])
        #expect(table.notes == ["leads.csv: column \"signup\" holds dates (such as \"2024-01-05\"): left out, since a category per date means nothing"])
    }

    /// Words, even with a few numbers among them, stay categories.
    @Test func wordsWithAFewNumbersStayCategories() throws {
        let table = try read("title\nCEO\nCTO\n42\nVP\n").get()
        #expect(categories(table.column(named: "title"))?.levels == ["CEO", "CTO", "42", "VP"])
        #expect(table.notes.isEmpty)
    }
}
