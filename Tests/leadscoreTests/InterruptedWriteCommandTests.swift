import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// No half-written output: a `score --out F` killed in the middle of writing, or stopped by a bad row after writing
/// part of its output, leaves the previous `F` byte for byte as it was.
///
/// The killed run reads its leads from a named pipe that the test feeds and keeps open, so the run cannot finish
/// before the kill whatever the machine's speed: the test waits until scored leads have reached the run's output (a
/// file without a name, open in the run), then sends SIGKILL. No step depends on timing.
@Suite struct InterruptedWriteCommandTests {
    /// `datasets/table/leads.csv` rows repeated with fresh ids, `count` rows after the header.
    static func leads(count: Int) throws -> (header: String, rows: [String]) {
        let text = try String(contentsOf: CLI.root.appendingPathComponent("datasets/table/leads.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let body = lines.dropFirst()
        let rows = (0..<count).map { i -> String in
            let row = body[body.startIndex + i % body.count]
            return "L\(i)" + row[row.firstIndex(of: ",")!...]
        }
        return (lines[0], rows)
    }

    static let previous = Data("lead_id,probability,score,band\nOLD,0.5,50,MQL\n".utf8)

    /// A `score --out scores.csv` run in `tmp` (holding the previous scores) that reads its table from a named pipe,
    /// fed three chunks of 4,096 leads and kept open: at least two chunks are scored and written while the run waits
    /// for more. Returns once scored leads have reached the run's output.
    static func startScoring(in tmp: URL) throws -> (process: Process, feed: FileHandle, out: String) {
        let out = tmp.appendingPathComponent("scores.csv").path
        try previous.write(to: URL(fileURLWithPath: out))
        let pipe = tmp.appendingPathComponent("leads.csv").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["score", "--model", "models/leads.json", "--table", pipe, "--out", out]
        process.currentDirectoryURL = CLI.root
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let (header, rows) = try leads(count: 3 * 4096)
        let feed = FileHandle(forWritingAtPath: pipe)!  // opens once the run opens its end
        try feed.write(contentsOf: Data(([header] + rows).joined(separator: "\n").utf8 + [0x0A]))
        while unnamedOutputBytes(of: process.processIdentifier, in: tmp.path) == 0, process.isRunning { usleep(10_000) }
        return (process, feed, out)
    }

    @Test func aScoreRunKilledMidWriteLeavesThePreviousFileIntact() throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (process, feed, out) = try Self.startScoring(in: tmp)
        #expect(process.isRunning, "the run ended before the kill")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try feed.close()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Self.previous)
        // The output had no name: nothing is left beside it, even after SIGKILL.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted() == ["leads.csv", "scores.csv"])
    }

    /// The bytes in files without a name (`O_TMPFILE`: `/proc/PID/fd/N` reads `FOLDER/#123 (deleted)`) that process
    /// `pid` holds open in `folder`.
    static func unnamedOutputBytes(of pid: Int32, in folder: String) -> Int {
        let fds = "/proc/\(pid)/fd"
        var total = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(name)"),
                  target.hasPrefix(folder + "/#"), target.hasSuffix(" (deleted)") else { continue }
            var info = stat()
            if stat("\(fds)/\(name)", &info) == 0 { total += Int(info.st_size) }
        }
        return total
    }

    /// `train` stopped by SIGTERM while it reads its table (a pipe that stays open): no file at all appears beside
    /// the model it would have written, not even an empty temporary one.
    @Test func aTrainRunStoppedBySIGTERMLeavesNothing() throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let pipe = tmp.appendingPathComponent("leads.csv").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["train", "--table", pipe, "--label", "converted", "--positive", "won", "--out", tmp.appendingPathComponent("m.json").path]
        process.currentDirectoryURL = CLI.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let feed = FileHandle(forWritingAtPath: pipe)!  // the run is reading: its output is open by now
        try feed.write(contentsOf: Data("lead_id,converted\n".utf8))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        try feed.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["leads.csv"])
    }

    /// SIGTERM or SIGINT in the middle of a run: it exits with 143 or 130, the previous file intact, nothing beside it.
    @Test(arguments: [SIGTERM, SIGINT])
    func aScoreRunInterruptedLeavesThePreviousFileAndNothingElse(signal: Int32) throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (process, feed, out) = try Self.startScoring(in: tmp)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try feed.close()
        #expect(process.terminationStatus == 128 + signal || process.terminationReason == .uncaughtSignal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Self.previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted() == ["leads.csv", "scores.csv"])
    }

    @Test func aScoreRunStoppedByABadRowAfterWritingLeavesThePreviousFileIntact() throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let out = tmp.appendingPathComponent("scores.csv").path
        try Self.previous.write(to: URL(fileURLWithPath: out))
        // Two full chunks are scored and written before the bad row in the third.
        var (header, rows) = try Self.leads(count: 3 * 4096)
        var fields = rows[2 * 4096 + 10].split(separator: ",", omittingEmptySubsequences: false)
        fields[3] = "NaN"  // company_size
        rows[2 * 4096 + 10] = fields.joined(separator: ",")
        let table = tmp.appendingPathComponent("leads.csv").path
        try Data(([header] + rows).joined(separator: "\n").utf8 + [0x0A]).write(to: URL(fileURLWithPath: table))

        let run = try CLI.run(["score", "--model", "models/leads.json", "--table", table, "--out", out])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("leads.csv:\(2 * 4096 + 12): column \"company_size\": NaN is not a usable number"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Self.previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted() == ["leads.csv", "scores.csv"])
    }

    @Test func aTrainRunWhosePredictionsCannotBeWrittenFailsBeforeTrainingAndKeepsThePreviousModel() throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let model = tmp.appendingPathComponent("m.json").path
        try Self.previous.write(to: URL(fileURLWithPath: model))
        let baseline = "Tests/leadscoreTests/BadInputs/30-history-valid-baseline"
        let run = try CLI.run(["train", "--contacts", "\(baseline)/contacts.csv", "--events", "\(baseline)/events.csv",
                               "--outcomes", "\(baseline)/outcomes.csv", "--l2", "1", "--out", model,
                               "--predictions", tmp.appendingPathComponent("no/such/p.csv").path])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("p.csv: cannot write the file: the folder"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "training ran although an output could not be written:\n\(run.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == Self.previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["m.json"])
    }
}
