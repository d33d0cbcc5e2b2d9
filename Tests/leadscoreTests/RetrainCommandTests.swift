import Foundation
import Testing
import _TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `retrain` and `models`: a challenger is published only when it is not worse, every decision is logged, the
/// pointer moves only on a publish, promotion or rollback, and a run killed at any step leaves the old model current.
@Suite struct RetrainCommandTests {
    /// A registry in a fresh folder whose champion was trained on `history`, with the history's files.
    struct Setup {
        var folder: URL
        var registry: String
        var files: (contacts: String, events: String, outcomes: String)
        var champion: String

        func retrain(_ extra: [String] = [], events: String? = nil, outcomes: String? = nil) throws -> CLI.Result {
            try CLI.run(["retrain", "--registry", registry, "--contacts", files.contacts, "--events", events ?? files.events,
                         "--outcomes", outcomes ?? files.outcomes, "--quiet"] + extra)
        }

        /// The registry's files and their bytes, to show that nothing changed.
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let root = URL(fileURLWithPath: registry)
            for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
                files[url.path.replacingOccurrences(of: root.path, with: "")] = try Data(contentsOf: url)
            }
            return files
        }

        func pointer() throws -> String {
            let json = try CLI.json(try Data(contentsOf: URL(fileURLWithPath: registry + "/current.json")))
            return json["model"] as? String ?? ""
        }

        func records() throws -> [[String: Any]] {
            let result = try CLI.run(["models", "list", registry, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try CLI.json(result.stdoutData)["records"] as? [[String: Any]] ?? []
        }
    }

    /// The champion is trained as it would have been a while ago: on the outcomes decided before 2025-08-01 (the
    /// later ones still open then). The retrain reads every outcome.
    static func setUp(count: Int = 3000) throws -> Setup {
        let folder = try CLI.temporaryFolder()
        let history = SyntheticHistory(count: count, seed: 11)
        let files = try history.write(to: folder)
        let older = [history.outcomes[0]] + history.outcomes.dropFirst().filter { $0.split(separator: ",")[2] < "2025-08-01" }
        let olderOutcomes = folder.appendingPathComponent("outcomes-july.csv").path
        try (older.joined(separator: "\n") + "\n").write(toFile: olderOutcomes, atomically: true, encoding: .utf8)
        let model = folder.appendingPathComponent("champion.json").path
        let train = try CLI.run(["train", "--contacts", files.contacts, "--events", files.events, "--outcomes", olderOutcomes,
                                 "--out", model, "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let registry = folder.appendingPathComponent("registry").path
        let made = try CLI.run(["models", "init", registry, "--model", model])
        #expect(made.status == 0, "\(made.stderr)")
        let setup = Setup(folder: folder, registry: registry, files: files, champion: "")
        return Setup(folder: folder, registry: registry, files: files, champion: try setup.pointer())
    }

    @Test func aChallengerOnNewerDataThatIsNotWorseIsPublishedAndLogged() throws {
        let setup = try Self.setUp()
        let result = try setup.retrain(["--format", "json"])
        let json = try CLI.json(result.stdoutData)
        #expect(json["decision"] as? String == "published", "\(result.stdout) \(result.stderr)")
        #expect(result.status == 0)
        let champion = json["champion"] as? [String: Any], challenger = json["challenger"] as? [String: Any]
        #expect(champion?["id"] as? String == setup.champion)
        let championAUC = try #require(champion?["auc"] as? Double), challengerAUC = try #require(challenger?["auc"] as? Double)
        #expect(challengerAUC >= championAUC - 0.01)
        #expect(challengerAUC > 0.6)
        let p = try #require((json["delong"] as? [String: Any])?["p_value"] as? Double)
        #expect(p >= 0 && p <= 1)
        #expect((json["notes"] as? [String])?.isEmpty == true)
        let id = try #require(challenger?["id"] as? String)
        #expect(try setup.pointer() == id)
        #expect(FileManager.default.fileExists(atPath: setup.registry + "/models/\(id).json"))
        let records = try setup.records()
        #expect(records.count == 2)
        let last = try #require(records.last?["record"] as? [String: Any])
        #expect(last["decision"] as? String == "published" && last["current"] as? String == id && last["previous"] as? String == setup.champion)
        #expect((last["data"] as? [String: Any])?["decided"] as? Int ?? 0 > 1000)
        // The stored challenger is the bytes `train` writes for the same data, spec and penalty.
        let trained = setup.folder.appendingPathComponent("again.json").path
        let train = try CLI.run(["train", "--contacts", setup.files.contacts, "--events", setup.files.events, "--outcomes", setup.files.outcomes,
                                 "--out", trained, "--quiet"])
        #expect(train.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: trained)) == Data(contentsOf: URL(fileURLWithPath: setup.registry + "/models/\(id).json")))
        // Again on the same data: the challenger is the champion byte for byte, which trained on the whole window.
        let again = try setup.retrain(["--format", "json"])
        let second = try CLI.json(again.stdoutData)
        #expect(again.status == 4 && (second["reason"] as? String)?.contains("byte for byte") == true, "\(again.stdout)")
        #expect((second["notes"] as? [String])?.contains { $0.contains("may have trained on them") } == true)
    }

    @Test func aChallengerTrainedOnShuffledLabelsIsKept() throws {
        let setup = try Self.setUp()
        var lines = try String(contentsOfFile: setup.files.outcomes, encoding: .utf8).split(separator: "\n").map(String.init)
        // Shuffle the outcome column among the rows (seeded), keeping ids and dates.
        var state: UInt64 = 5
        var outcomes = lines.dropFirst().map { $0.split(separator: ",")[1] }
        for i in stride(from: outcomes.count - 1, to: 0, by: -1) {
            outcomes.swapAt(i, Int(SyntheticHistory.uniform(&state) * Double(i + 1)))
        }
        for k in 1..<lines.count {
            let fields = lines[k].split(separator: ",")
            lines[k] = "\(fields[0]),\(outcomes[k - 1]),\(fields[2])"
        }
        let shuffled = setup.folder.appendingPathComponent("shuffled.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: shuffled, atomically: true, encoding: .utf8)
        let result = try setup.retrain(["--format", "json"], outcomes: shuffled)
        let json = try CLI.json(result.stdoutData)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(json["decision"] as? String == "kept")
        #expect((json["reason"] as? String)?.contains("worse") == true || (json["reason"] as? String)?.contains("learned nothing") == true)
        #expect(try setup.pointer() == setup.champion)
        // Kept, the challenger is still stored (it can be promoted by hand) and the decision logged.
        let challenger = try #require((json["challenger"] as? [String: Any])?["id"] as? String)
        #expect(FileManager.default.fileExists(atPath: setup.registry + "/models/\(challenger).json"))
        #expect(try setup.records().last?["record"].flatMap { ($0 as? [String: Any])?["decision"] as? String } == "kept")
        // Even a stale champion is not replaced by a challenger that learned nothing.
        let stale = try setup.retrain(["--max-age", "1d", "--as-of", "2026-01-01T00:00:00Z"], outcomes: shuffled)
        #expect(stale.status == 4 && stale.stdout.contains("learned nothing"), "\(stale.stdout) \(stale.stderr)")
    }

    @Test func anEventTypeMissingFromTheWholeExportKeepsTheChampion() throws {
        let setup = try Self.setUp()
        let lines = try String(contentsOfFile: setup.files.events, encoding: .utf8).split(separator: "\n").filter { !$0.contains(",pricing_page_view,") }
        let broken = setup.folder.appendingPathComponent("broken-events.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try setup.retrain([], events: broken)
        #expect(result.status == 4)
        #expect(result.stdout.hasPrefix("kept the champion: ") && result.stdout.contains("\"pricing_page_view\""), "\(result.stdout)")
        #expect(try setup.pointer() == setup.champion)
        // --force publishes it anyway, and says so.
        let forced = try setup.retrain(["--force"], events: broken)
        #expect(forced.status == 0 && forced.stdout.contains("--force"))
        #expect(try setup.pointer() != setup.champion)
    }

    @Test func aDryRunWritesNothingAndExitsAsTheDecisionWould() throws {
        let setup = try Self.setUp()
        let before = try setup.snapshot()
        let result = try setup.retrain(["--dry-run"])
        #expect(result.status == 0 && result.stdout.hasPrefix("would publish (dry run): "), "\(result.stdout) \(result.stderr)")
        #expect(try setup.snapshot() == before)
    }

    @Test func promoteAndRollbackMoveThePointerAndLogWhy() throws {
        let setup = try Self.setUp(count: 1500)
        #expect(try setup.retrain().status == 0)
        let published = try setup.pointer()
        let back = try CLI.run(["models", "rollback", setup.registry])
        #expect(back.status == 0 && back.stdout.contains("rolled back to \(setup.champion)"), "\(back.stderr)")
        #expect(try setup.pointer() == setup.champion)
        let promote = try CLI.run(["models", "promote", setup.registry, String(published.prefix(6)), "--reason", "checked by sales"])
        #expect(promote.status == 0, "\(promote.stderr)")
        #expect(try setup.pointer() == published)
        let actions = try setup.records().compactMap { ($0["record"] as? [String: Any])?["action"] as? String }
        #expect(actions == ["init", "retrain", "rollback", "promote"])
        let list = try CLI.run(["models", "list", setup.registry])
        #expect(list.stdout.contains("checked by sales") && list.stdout.contains("* the current model: \(published)"))
        let show = try CLI.run(["models", "show", setup.registry, String(setup.champion.prefix(8))])
        #expect(show.status == 0 && show.stdout.hasPrefix("model \(setup.champion)\n") && show.stdout.contains("rollback"), "\(show.stdout)")
        // Clear one-line errors, nothing written.
        let before = try setup.snapshot()
        for (args, words) in [(["models", "promote", setup.registry, "ffff0000"], "no model in the registry has an id starting with"),
                              (["models", "promote", setup.registry, "ab"], "too short"),
                              (["models", "promote", setup.registry, published], "already current"),
                              (["models", "list", setup.folder.path + "/nowhere"], "there is no model registry here"),
                              (["models", "init", setup.registry, "--model", "models/sample.json"], "already a model registry")] {
            let failed = try CLI.run(args)
            #expect(failed.status != 0 && failed.stderr.contains(words) && failed.stderr.split(separator: "\n").count == 1, "\(args): \(failed.stderr)")
        }
        #expect(try setup.snapshot() == before)
    }

    /// A deleted model file leaves the registry repairable with the tool itself, and a failed init leaves nothing
    /// that stops the next one.
    @Test func aMissingCurrentModelIsRepairedByPromotingAnother() throws {
        let setup = try Self.setUp(count: 1500)
        #expect(try setup.retrain(["--force"]).status == 0)
        let published = try setup.pointer()
        try FileManager.default.removeItem(atPath: setup.registry + "/models/\(published).json")
        let broken = try setup.retrain()
        #expect(broken.status == 1 && broken.stderr.contains("the current model \(published) has no file"), "\(broken.stderr)")
        let repaired = try CLI.run(["models", "promote", setup.registry, setup.champion, "--reason", "the file was deleted"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try setup.pointer() == setup.champion && setup.records().count == 3)

        let fresh = setup.folder.appendingPathComponent("fresh").path
        let wrong = try CLI.run(["models", "init", fresh, "--model", "datasets/rules/seed.json"])
        #expect(wrong.status == 1 && wrong.stderr.contains("not a leadscore model file"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(try CLI.run(["models", "init", fresh, "--model", "models/sample.json"]).status == 0)
    }

    /// This month's export holds only numbers in a column the champion read as categories: the champion is scored
    /// with its own reading, and the output says so.
    @Test func theChampionIsScoredWithItsOwnColumnKinds() throws {
        let folder = try CLI.temporaryFolder()
        let history = SyntheticHistory(count: 1500, seed: 11)
        let files = try history.write(to: folder)
        var contacts = history.contacts
        for k in stride(from: 1, to: contacts.count, by: 7) {
            var fields = contacts[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[3] = "unknown"
            contacts[k] = fields.joined(separator: ",")
        }
        let older = folder.appendingPathComponent("contacts-then.csv").path
        try (contacts.joined(separator: "\n") + "\n").write(toFile: older, atomically: true, encoding: .utf8)
        let champion = folder.appendingPathComponent("champion.json").path
        #expect(try CLI.run(["train", "--contacts", older, "--events", files.events, "--outcomes", files.outcomes,
                             "--as-of", "2025-08-01T00:00:00Z", "--out", champion, "--quiet"]).status == 0)
        let registry = folder.appendingPathComponent("registry").path
        #expect(try CLI.run(["models", "init", registry, "--model", champion]).status == 0)
        let result = try CLI.run(["retrain", "--registry", registry, "--contacts", files.contacts, "--events", files.events,
                                  "--outcomes", files.outcomes, "--format", "json"])
        let json = try CLI.json(result.stdoutData)
        #expect(result.status == 0 || result.status == 4, "\(result.stderr)")
        #expect((json["notes"] as? [String])?.contains { $0.contains("scored on a second read with its own kinds") } == true, "\(json["notes"] ?? "")")
        #expect((json["champion"] as? [String: Any])?["auc"] as? Double ?? 0 > 0.6)
    }

    /// A champion trained with a column let past the leak guard (and a solver setting off the default) is
    /// retrained the same way: the model file records both.
    @Test func theChampionsAllowedLeaksAndSolverSettingsCarryOver() throws {
        let folder = try CLI.temporaryFolder()
        let history = SyntheticHistory(count: 1500, seed: 11)
        let files = try history.write(to: folder)
        let won = Set(history.outcomes.dropFirst().filter { $0.contains(",won,") }.map { String($0.split(separator: ",")[0]) })
        var contacts = history.contacts
        contacts[0] += ",stage"
        for k in 1..<contacts.count {
            contacts[k] += won.contains(String(contacts[k].split(separator: ",")[0])) ? ",customer" : ",lead"
        }
        try (contacts.joined(separator: "\n") + "\n").write(toFile: files.contacts, atomically: true, encoding: .utf8)
        let champion = folder.appendingPathComponent("champion.json").path
        let history3 = ["--contacts", files.contacts, "--events", files.events, "--outcomes", files.outcomes]
        let stopped = try CLI.run(["train"] + history3 + ["--out", champion])
        #expect(stopped.status == 2 && stopped.stderr.contains("--allow-leak"), "\(stopped.stderr)")
        let train = try CLI.run(["train"] + history3 + ["--allow-leak", "stage", "--max-iterations", "50", "--as-of", "2025-08-01T00:00:00Z",
                                                         "--out", champion, "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let options = (try CLI.json(try Data(contentsOf: URL(fileURLWithPath: champion)))["history"] as? [String: Any])?["options"] as? [String: Any]
        #expect(options?["allowed_leaks"] as? [String] == ["stage"] && options?["max_iterations"] as? Int == 50)
        let registry = folder.appendingPathComponent("registry").path
        #expect(try CLI.run(["models", "init", registry, "--model", champion]).status == 0)
        let result = try CLI.run(["retrain", "--registry", registry] + history3 + ["--force", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let published = try CLI.json(try Data(contentsOf: URL(fileURLWithPath: registry + "/current.json")))["model"] as? String ?? ""
        let model = try CLI.json(try Data(contentsOf: URL(fileURLWithPath: registry + "/models/\(published).json")))
        #expect(((model["history"] as? [String: Any])?["options"] as? [String: Any])?["allowed_leaks"] as? [String] == ["stage"])
    }

    /// A retrain killed at each step of its write: the old model stays current until the pointer's rename, every file
    /// reads, and the next write notes a record whose model never became current.
    @Test(arguments: ["stored", "logged"])
    func aRetrainKilledWhileWritingLeavesTheOldModelCurrent(stage: String) throws {
        let setup = try Self.setUp(count: 1500)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["retrain", "--registry", setup.registry, "--contacts", setup.files.contacts, "--events", setup.files.events,
                             "--outcomes", setup.files.outcomes, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["LEADSCORE_REGISTRY_KILL_AT": stage, "OPENBLAS_NUM_THREADS": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        #expect(try setup.pointer() == setup.champion)
        let records = try setup.records()
        #expect(records.count == (stage == "logged" ? 2 : 1))
        if stage == "logged" { #expect(records.last?["committed"] as? Bool == false) }
        // The registry goes on: the next retrain works, and notes the interrupted one first.
        let next = try setup.retrain()
        #expect(next.status == 0, "\(next.stderr)")
        let actions = try setup.records().compactMap { ($0["record"] as? [String: Any])?["action"] as? String }
        #expect(actions == (stage == "logged" ? ["init", "retrain", "interrupted", "retrain"] : ["init", "retrain"]))
    }

    /// Killed while it reads the events (from a pipe the test keeps open, so it cannot have finished), a retrain
    /// leaves every byte of the registry as it was.
    @Test func aRetrainKilledWhileReadingChangesNothing() throws {
        let setup = try Self.setUp(count: 1500)
        let before = try setup.snapshot()
        let pipe = setup.folder.appendingPathComponent("events-pipe.csv").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["retrain", "--registry", setup.registry, "--contacts", setup.files.contacts, "--events", pipe,
                             "--outcomes", setup.files.outcomes, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let feed = try #require(FileHandle(forWritingAtPath: pipe))
        let events = try Data(contentsOf: URL(fileURLWithPath: setup.files.events))
        feed.write(events.prefix(events.count / 2))
        process.interrupt()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? feed.close()
        #expect(try setup.snapshot() == before)
    }

    @Test func serveFollowsTheRegistrysPointer() async throws {
        let setup = try Self.setUp(count: 1500)
        let server = try ServeProcess(["--registry", setup.registry, "--poll-interval", "0.1"])
        defer { _ = server.stop() }
        func health() async throws -> String { String(decoding: try await server.send("GET", "/healthz").body, as: UTF8.self) }
        #expect(try await health().contains(setup.champion))
        #expect(try setup.retrain(["--force"]).status == 0)
        let published = try setup.pointer()
        #expect(published != setup.champion)
        var answer = ""
        for _ in 0..<100 where !answer.contains(published) {
            try await Task.sleep(for: .milliseconds(100))
            answer = try await health()
        }
        #expect(answer.contains(published), "\(answer)")
        let usage = try CLI.run(["serve", "--registry", setup.registry, "--model", "models/sample.json"])
        #expect(usage.status == 64 && usage.stderr.contains("not both"))
    }
}
