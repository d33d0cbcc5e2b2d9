import Features
import Foundation
import LeadData
import LinearAlgebra
import Testing

/// The training range of each numeric feature, recorded at fit time, bounds what scoring gives it: values outside are
/// scored at the range's edge (in a table held in memory and in a record alike), and values far outside are noted.
@Suite struct EncodingRangeTests {
    static func table(_ values: [Double], levels: [String]) -> Table {
        Table(path: "t.csv", columns: [
            TableColumn(name: "x", values: .numeric(values)),
            TableColumn(name: "c", values: .categorical(codes: levels.indices.map { Int32($0 % 2) }, levels: ["a", "b"])),
            TableColumn(name: "y", values: .categorical(codes: levels.indices.map { Int32($0 % 2) }, levels: ["0", "1"])),
        ], rowLines: values.indices.map { Int32($0 + 2) })
    }

    static let encoding = try! TableEncoding.fit(table([1, 2, 3, 4, 5, 6], levels: Array(repeating: "", count: 6)),
                                                 options: TableEncodingOptions(label: "y", minLevelCount: 1))

    @Test func theRangeIsRecordedForNumbersOnly() throws {
        let x = try #require(Self.encoding.features.first { $0.column == "x" })
        #expect(x.range == 1...6)
        #expect(x.trainingRange == 1...6)
        let level = try #require(Self.encoding.features.first { $0.column == "c" })
        #expect(level.range == nil)
        #expect(level.trainingRange == 0...1)
    }

    @Test func valuesOutsideAreScoredAtTheEdgeAndFarOnesNoted() throws {
        var notes = EncodingNotes()
        let design = try Self.encoding.design(for: Self.table([0, 7, 1e308, -50], levels: ["", "", "", ""]), labelled: false, notes: &notes)
        let x = try #require(Self.encoding.features.firstIndex { $0.column == "x" })
        let atOne = (1 - Self.encoding.features[x].mean) / Self.encoding.features[x].scale
        let atSix = (6 - Self.encoding.features[x].mean) / Self.encoding.features[x].scale
        let d = design.features.columns
        #expect(design.features.storage[0 * d + x] == atOne)
        #expect(design.features.storage[1 * d + x] == atSix)
        #expect(design.features.storage[2 * d + x] == atSix)
        #expect(design.features.storage[3 * d + x] == atOne)
        // 0 and 7 are within one range's width of it; 1e308 and -50 are far outside.
        #expect(notes.outOfRange.map(\.rows) == [2])
        #expect(notes.notes.first?.contains("2 values lie far outside the training range 1 to 6 (such as 1e+308)") == true)
        #expect(notes.leadWarnings().first == "x: 1e+308 is far outside the training range 1 to 6; scored as 6")
    }

    @Test func theEdgeOfFarIsTheRangesWidth() {
        #expect(!EncodingNotes.isFarOutside(11, 1...6))
        #expect(EncodingNotes.isFarOutside(11.5, 1...6))
        #expect(!EncodingNotes.isFarOutside(-4, 1...6))
        #expect(EncodingNotes.isFarOutside(-4.5, 1...6))
    }

    @Test func logColumnsAreWarnedAboutInTheFieldsOwnUnits() {
        var notes = EncodingNotes()
        notes.record(column: HistoryFeatures.log1pName("company_size"), range: 0...log1p(1000.0), value: log1p(1e9))
        #expect(notes.leadWarnings(log1pColumns: [HistoryFeatures.log1pName("company_size")])
                == ["company_size: 1000000000 is far outside the training range 0 to 1000; scored as 1000"])
    }
}

/// Profile columns taken as logs are named in one place, and the field behind a name is found again.
@Suite struct HistoryColumnNameTests {
    @Test func log1pNamesRoundTrip() {
        var spec = HistoryFeatureSpec()
        spec.profile.log1p = ["company_size"]
        let column = HistoryFeatures.log1pName("company_size")
        #expect(column == "company_size (log1p)")
        #expect(HistoryFeatures.profileField(ofColumn: column, spec: spec) == ("company_size", true))
        #expect(HistoryFeatures.profileField(ofColumn: "company_size", spec: spec) == ("company_size", false))
        // A column that merely looks like one is itself when the spec does not take that field's log.
        #expect(HistoryFeatures.profileField(ofColumn: "revenue (log1p)", spec: spec) == ("revenue (log1p)", false))
        #expect(HistoryFeatures.log1pColumns(spec: spec) == [column])
        #expect(HistoryFeatures.field(ofLog1pColumn: column) == "company_size")
    }

    /// A level the model never saw, and a missing value where training had none, count as the average lead: every
    /// feature of the column at its training mean (0 standardised), so the column adds nothing; the lead is warned.
    @Test func unknownLevelsAndMissingValuesAreTheAverage() throws {
        var notes = EncodingNotes()
        let unseen = Table(path: "t.csv", columns: [
            TableColumn(name: "x", values: .numeric([3, 3, 3])),
            TableColumn(name: "c", values: .categorical(codes: [0, 1, 2], levels: ["a", "zz", ""])),
        ], rowLines: [2, 3, 4])
        let design = try EncodingRangeTests.encoding.design(for: unseen, labelled: false, notes: &notes)
        let c = EncodingRangeTests.encoding.features.indices.filter { EncodingRangeTests.encoding.features[$0].column == "c" }
        #expect(!c.isEmpty)
        let d = design.features.columns
        for j in c {
            #expect(design.features.storage[0 * d + j] != 0)   // "a", a level it knows
            #expect(design.features.storage[1 * d + j] == 0)   // "zz", never seen
            #expect(design.features.storage[2 * d + j] == 0)   // missing, never seen in training
        }
        #expect(notes.notes == ["column \"c\": 2 rows have levels the model never saw (\"zz\", \"(missing)\"), scored as average (no effect on the score)"])
        #expect(notes.leadWarnings() == ["c: \"zz\" is unknown to the model (never seen in training); treated as average, adding nothing to the score"])
    }
}
