import ArgumentParser
import Foundation
import LeadData
import SyntheticLeads

/// `leadscore generate`: write a synthetic contact history, with each contact's true probability, for trying and checking.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic contact history (contacts, events, outcomes) and the true probabilities behind it.",
        discussion: """
            Writes contacts.csv, events.csv and outcomes.csv in the history formats that `train` reads, and truth.csv: each contact's true probability of being won as of its decision (or as of the end of the data, for contacts still open), to check a model's ranking against the best achievable. The generating process is described in datasets/README.md.

            The same options give the same bytes. Each file is written to a temporary file and renamed into place, and nothing is replaced unless all four were written.

            Examples:
              leadscore generate --contacts 20000 --seed 42 --out datasets/sample
              # a benchmark set, about 50 events per contact (50 million events):
              leadscore generate --contacts 1000000 --seed 7 --activity 12 --out /tmp/big
              # drift from 2025-09-01 on: a new event type that predicts winning, a lead
              # source at twice its share converting much less, a renamed event type:
              leadscore generate --contacts 20000 --seed 42 --change-at 2025-09-01 \\
                --new-event trial_signup --source-drop "Organic Search" \\
                --rename-event pricing_page_view=pricing_view --out /tmp/drift

            Each change option needs --change-at, and --change-at needs at least one of them; each of the four is given at most once, and the three changes combine. datasets/README.md describes the changes and what they do to the data.
            """
    )

    @Option(help: "Contacts to create.")
    var contacts: Int

    @Option(help: "Seed of the random streams.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Folder to write into (created if missing).", valueName: "folder"))
    var out: String

    @Option(help: ArgumentHelp("First day contacts are created on.", valueName: "YYYY-MM-DD"))
    var start: String = "2025-01-01"

    @Option(help: "Days of data.")
    var days: Int = 540

    @Option(help: "Event volume multiplier: 1 gives about 5.5 events per contact, 12 about 50.")
    var activity: Double = 1

    @Option(help: ArgumentHelp("Date from which the changes below apply (drift). This and each change: at most once.", valueName: "YYYY-MM-DD"))
    var changeAt: [String] = []

    @Option(help: ArgumentHelp("From --change-at on, a new event type, emitted mostly by high-intent contacts and raising the odds of winning.",
                               valueName: "name"))
    var newEvent: [String] = []

    @Option(help: ArgumentHelp("A lead_source value (\"Paid Search\", ...) whose contacts created from --change-at on take twice its share and convert much less.",
                               valueName: "source"))
    var sourceDrop: [String] = []

    @Option(help: ArgumentHelp("From --change-at on, events of type OLD are written as NEW (a renamed tracker).", valueName: "OLD=NEW"))
    var renameEvent: [String] = []

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard UTCTimestamp.epochSeconds(parsingDate: start) != nil else {
            throw ValidationError("--start must be a date as YYYY-MM-DD, such as 2025-01-01; got '\(start)'")
        }
        for (flag, values) in [("--change-at", changeAt), ("--new-event", newEvent), ("--source-drop", sourceDrop),
                               ("--rename-event", renameEvent)] where values.count > 1 {
            throw ValidationError("\(flag) may be given once; got \(values.map { Echo.quoted($0) }.joined(separator: ", "))")
        }
        if let date = changeAt.first, UTCTimestamp.epochSeconds(parsingDate: date) == nil {
            throw ValidationError("--change-at must be a date as YYYY-MM-DD, such as 2025-09-01; got \(Echo.quoted(date))")
        }
        if let problem = options.problem { throw ValidationError(problem) }
    }

    private var options: GeneratorOptions {
        let change = ProcessChange(at: changeAt.first.flatMap(UTCTimestamp.epochSeconds(parsingDate:)), newEvent: newEvent.first,
                                   sourceDrop: sourceDrop.first, renameEvent: renameEvent.first)
        return GeneratorOptions(contacts: contacts, seed: seed, start: UTCTimestamp.epochSeconds(parsingDate: start) ?? 0,
                                days: days, activity: activity, change: change)
    }

    func run() throws {
        try Failure.guarding {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
                throw OutputError(file: out, message: "is a file, not a folder: pass a folder to --out")
            }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw OutputError(file: out, message: "cannot create the folder: check that its parent exists and is writable")
            }
            let showProgress = isatty(STDERR_FILENO) == 1
            let total = contacts
            let summary = try LeadHistoryGenerator(options: options).write(to: out) { done in
                if showProgress {
                    FileHandle.standardError.write(Data("\rgenerating: \(done * 100 / total)% (\(done) of \(total) contacts)".utf8))
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            switch format {
            case .text: emit("wrote \(out): \(summary.line)\n")
            case .json: emit(try DeterministicJSON.encode(summary))
            }
        }
    }
}
