import Features
import Foundation
import LeadData
import LinearAlgebra
import Testing
import _TestSupport

/// Encoding a record at a time gives exactly the batch design matrix, and bad values are named where they are.
@Suite struct RecordEncoderTests {
    /// Every record of `path`, encoded by a RecordEncoder, as one row-major array.
    func streamed(_ encoding: TableEncoding, _ path: String) throws -> [Double] {
        let reader = try CSVReader(path: path)
        let encoder = try RecordEncoder(encoding: encoding, header: reader.header, path: path)
        var row = [Double](repeating: .nan, count: encoder.featureCount)
        var all: [Double] = []
        while try reader.next() {
            try row.withUnsafeMutableBufferPointer { try encoder.encode(reader.record, into: $0) }
            all += row
        }
        return all
    }

    func expectSameBits(_ a: [Double], _ b: [Double]) {
        #expect(a.count == b.count)
        let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(a.count) values differ")
    }

    @Test func agreesBitForBitWithTheBatchDesignOnTheSampleTable() throws {
        let encoding = ScoringFixtures.shipped.encoding
        let batch = try encoding.design(for: try Table.read(path: ScoringFixtures.leadsCSV, options: ScoringFixtures.readOptions(encoding)),
                                        labelled: false)
        #expect(batch.features.rows == 6_000)
        expectSameBits(try streamed(encoding, ScoringFixtures.leadsCSV), batch.features.storage)
    }

    @Test func agreesBitForBitOnEncodingNotesMissingValuesAndReorderedColumns() throws {
        let encoding = ScoringFixtures.shipped.encoding
        var lines = ScoringFixtures.leadsLines(60)
        // Unseen and pooled levels (industry has an `other` feature, job_level does not), missing numbers and categories,
        // a literal "(missing)", spaces around a number, and quoted fields.
        let edits = [
            "L-9001,Aerospace,Intern,,BR,,1,0,0,0,0,0,0,0,12,lost",
            "L-9002,Mining,Director, 250 ,ZZ,(missing),0,0,3,1,0,1,1,0,,won",
            "L-9003,\"Retail\",\"VP\",\"\",US,\"Paid Search\",2,1,,0,0,0,0,1,400,lost",
            "L-9004,,,,,,,,,,,,,,,lost",
        ]
        lines += edits
        let path = ScoringFixtures.write(lines)
        let batch = try encoding.design(for: try Table.read(path: path, options: ScoringFixtures.readOptions(encoding)), labelled: false)
        let rows = try streamed(encoding, path)
        expectSameBits(rows, batch.features.storage)

        // The same rows with the columns in another order and an extra column: still the same features.
        let header = lines[0].split(separator: ",").map(String.init)
        let order = [3, 0, 15, 1, 14, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
        #expect(Set(order) == Set(header.indices))
        let shuffled = lines.map { line -> String in
            let fields = ScoringFixtures.fields(line)
            return (order.map { fields[$0] } + ["extra"]).joined(separator: ",")
        }
        expectSameBits(try streamed(encoding, ScoringFixtures.write(shuffled)), rows)
    }

    @Test func aNonNumberInANumericColumnIsNamedWithFileAndLine() throws {
        var lines = ScoringFixtures.leadsLines(3)
        lines.append("L-9001,Retail,VP,abc,US,Webinar,1,0,0,0,0,0,0,0,12,lost")
        let path = ScoringFixtures.write(lines)
        #expect(throws: InputError(file: path, line: 5,
                                   message: "column \"company_size\": \"abc\" is not a number (the model was trained on numbers in this column)")) {
            _ = try streamed(ScoringFixtures.shipped.encoding, path)
        }
        var nan = ScoringFixtures.leadsLines(1)
        nan.append("L-9001,Retail,VP,100,US,Webinar,NaN,0,0,0,0,0,0,0,12,lost")
        let nanPath = ScoringFixtures.write(nan)
        #expect(throws: InputError(file: nanPath, line: 3, message: "column \"page_views_30d\": NaN is not a usable number")) {
            _ = try streamed(ScoringFixtures.shipped.encoding, nanPath)
        }
        var huge = ScoringFixtures.leadsLines(1)
        huge.append("L-9001,Retail,VP,1e999,US,Webinar,1,0,0,0,0,0,0,0,12,lost")
        let hugePath = ScoringFixtures.write(huge)
        #expect(throws: InputError(file: hugePath, line: 3, message: "column \"company_size\": 1e999 is too large for a Double")) {
            _ = try streamed(ScoringFixtures.shipped.encoding, hugePath)
        }
    }

    @Test func missingColumnsAreNamedWithWhatTheModelNeeds() throws {
        let path = ScoringFixtures.write(["lead_id,industry,job_level,country", "L-1,Retail,VP,US"])
        #expect {
            _ = try streamed(ScoringFixtures.shipped.encoding, path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.line == 1 && error.message.hasPrefix("missing columns \"company_size\", \"lead_source\", \"page_views_30d\"")
                && error.message.contains("which the model uses (it needs: industry, job_level, company_size, country, lead_source,")
        }
    }
}

extension ScoringFixtures {
    /// The fields of a CSV line with quoted fields kept as written (no commas inside quotes in these tests).
    static func fields(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
