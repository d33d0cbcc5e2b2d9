import Foundation
@testable import LeadData
@testable import Rules
import Testing

/// Rule points record by record (streamed scoring) agree with the points of the same table read whole (`compare`).
@Suite struct TableRuleScorerTests {
    /// Writes `text` to a fresh temporary file.
    static func write(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rules-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("leads.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every record's points, streamed.
    static func streamed(_ path: String, _ rules: RuleSet, categorical: Set<String> = [], numeric: Set<String> = []) throws -> (points: [Double], unmatched: [String: String]) {
        let reader = try CSVReader(path: path)
        let scorer = try TableRuleScorer(rules: rules, rulesPath: "r.json", header: reader.header, path: path,
                                         categorical: categorical, numeric: numeric)
        var points: [Double] = []
        while try reader.next() { points.append(try scorer.points(reader.record)) }
        return (points, scorer.unmatched)
    }

    static let rules = RuleSet(events: [EventRule(event: "demos", points: 25, per: .once),
                                        EventRule(event: "opens", points: 2, cap: 7),
                                        EventRule(event: "chats", points: 3)],
                               profile: [ProfileRule(field: "title", points: 10, oneOf: ["VP", "C-level"]),
                                         ProfileRule(field: "size", points: 5, min: 200, max: 1000),
                                         ProfileRule(field: "tier", points: 4, equals: "2"),
                                         ProfileRule(field: "code", points: 1.5, equals: "7")],
                               inactivity: InactivityRule(days: 30, points: -5, column: "quiet_days"))

    @Test func recordByRecordEqualsTheWholeTable() throws {
        // tier is numeric throughout ("2.0" is the number 2), code mixes numbers and text, size has a missing value,
        // demos a negative count.
        let path = try Self.write("""
            id,demos,opens,title,size,tier,code,quiet_days
            a,0,10,VP,50,2,7,40
            b,1,0,Engineer,200,1,x,3
            c,3,2,C-level,999.5,2.0,7,30
            d,,1,,,3,,29
            e,-2,5,"VP",1000,2,8,100

            """)
        let table = try Table.read(path: path)
        let whole = try RuleSignals.table(table, rules: Self.rules, rulesPath: "r.json")
        let (points, unmatched) = try Self.streamed(path, Self.rules)
        #expect(points == whole.points)
        #expect(unmatched == whole.unmatched)
        #expect(unmatched == ["events[2]": "no column \"chats\" in \(path)"])
        // Forced kinds, as the model reads its columns, agree too.
        let forced = try Table.read(path: path, options: TableReadOptions(categorical: ["tier", "id"], numeric: ["size"]))
        let forcedPoints = try Self.streamed(path, Self.rules, categorical: ["tier", "id"], numeric: ["size"]).points
        #expect(forcedPoints == (try RuleSignals.table(forced, rules: Self.rules, rulesPath: "r.json")).points)
        #expect(forcedPoints != points)  // "2.0" is not the category "2"
    }

    @Test func aCountThatIsNotANumberIsAnErrorAtItsLine() throws {
        let path = try Self.write("id,demos,opens,quiet_days\na,1,2,3\nb,1,lots,3\n")
        #expect(throws: InputError(file: path, line: 3, message: "column \"opens\": \"lots\" is not a number, but rule \"events[1]\" of r.json reads a count of events from it")) {
            _ = try Self.streamed(path, Self.rules)
        }
        let nan = try Self.write("id,demos,opens,quiet_days\na,1,2,NaN\n")
        #expect(throws: InputError(file: nan, line: 2, message: "column \"quiet_days\": NaN is not a usable number")) {
            _ = try Self.streamed(nan, Self.rules)
        }
    }

    @Test func aCountColumnTheModelReadsAsCategoriesIsRefusedAsForAWholeTable() throws {
        let path = try Self.write("id,demos\na,1\n")
        let rules = RuleSet(events: [EventRule(event: "demos", points: 25)])
        let whole = try Table.read(path: path, options: TableReadOptions(categorical: ["demos"]))
        #expect(throws: InputError(file: "r.json", line: nil, message: "\"events[0]\": column \"demos\" of \(path) is not numeric, so it cannot be a count of events")) {
            _ = try RuleSignals.table(whole, rules: rules, rulesPath: "r.json")
        }
        #expect(throws: InputError(file: "r.json", line: nil, message: "\"events[0]\": column \"demos\" of \(path) is not numeric, so it cannot be a count of events")) {
            _ = try Self.streamed(path, rules, categorical: ["demos"])
        }
    }
}
