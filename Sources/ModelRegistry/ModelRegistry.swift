public import Foundation
public import LeadData
public import Scoring

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder that keeps every model a team has used, which one is current, and why.
///
/// - `models/<id>.json`: model files named by the FNV-1a of their bytes (``ContentHash``), written once through a
///   temporary file and a rename, never rewritten.
/// - `log.jsonl`: one ``RegistryRecord`` per line, appended, never edited.
/// - `current.json`: the pointer, `{"model": id, "seq": n}`: the current model and the log record that made it
///   current; replaced by writing a new file and renaming it over the old one, so a reader sees the old pointer or
///   the new one, never a mix.
///
/// A change is written in that order: the model file, then the record, then the pointer. A process killed at any
/// moment leaves the old pointer (and so the old model current) until the rename, and every file whole: a model file
/// is renamed into place complete, a record is one `write` of one line (a torn last line, which only a crash inside
/// that call could leave, is ignored when read and cut away before the next record).
public struct ModelRegistry: Sendable {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// The pointer: which model is current, and the log record that made it so.
    public struct Pointer: Codable, Sendable, Equatable {
        public var model: String
        public var seq: Int
    }

    public var modelsFolder: String { folder + "/models" }
    public var logPath: String { folder + "/log.jsonl" }
    public var pointerPath: String { folder + "/current.json" }
    private var lockPath: String { folder + "/.lock" }

    /// Where the model `id` is stored.
    public func modelPath(_ id: String) -> String { "\(modelsFolder)/\(id).json" }

    // MARK: - Reading

    /// The pointer as it is now (the model it names may be missing: ``current()`` says so).
    public func pointer() throws(InputError) -> Pointer {
        guard FileManager.default.fileExists(atPath: folder) else {
            throw InputError(file: folder, line: nil, message: "there is no model registry here: make one with `leadscore models init \(folder) --model model.json`")
        }
        guard FileManager.default.fileExists(atPath: pointerPath) else {
            throw InputError(file: pointerPath, line: nil, message: "the registry has no current model (not a model registry, or one whose pointer was deleted): make one with `leadscore models init`")
        }
        let data = try JSONFile.read(path: pointerPath, what: "the registry's pointer")
        return try JSONFile.decode(Pointer.self, from: data, path: pointerPath)
    }

    /// The current model, read and checked, with its id and path.
    public func current() throws(InputError) -> (id: String, model: LeadModel, path: String) {
        let id = try pointer().model
        let path = modelPath(id)
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: pointerPath, line: nil, message: "the current model \(id) has no file in \(modelsFolder): restore it from a backup, or make another current with `leadscore models promote`")
        }
        return (id, try LeadModel.load(path: path), path)
    }

    /// Every record of the log, oldest first. A last line without its newline (a write cut short) is left out.
    public func records() throws(InputError) -> [RegistryRecord] {
        guard FileManager.default.fileExists(atPath: logPath) else { return [] }
        let data = try JSONFile.read(path: logPath, what: "the registry's log")
        var records: [RegistryRecord] = []
        var lineNumber = 0
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            lineNumber += 1
            let line = data[start..<newline]
            start = newline + 1
            guard !line.isEmpty else { continue }
            do {
                records.append(try DeterministicJSON.decoder().decode(RegistryRecord.self, from: line))
            } catch {
                throw InputError(file: logPath, line: lineNumber, message: "not a registry record (the log was edited by hand?): \(error)")
            }
        }
        return records
    }

    /// A record with what became of it.
    public struct Entry: Sendable {
        public var record: RegistryRecord
        /// False for a record whose model never became current (its run was stopped before the pointer was replaced).
        public var committed: Bool
    }

    /// The log with each record's fate: a change whose pointer replacement never happened is not committed.
    public func history() throws(InputError) -> [Entry] {
        let records = try records()
        let pointer = try pointer()
        let interrupted = Set(records.compactMap(\.interruptedSeq))
        return records.map { record in
            let stranded = record.changesCurrent && (interrupted.contains(record.seq) || record.seq > pointer.seq)
            return Entry(record: record, committed: !stranded)
        }
    }

    /// Every model file's id, sorted.
    public func storedModels() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelsFolder)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0.count == 21 }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The stored model whose id starts with `prefix` (at least 4 hex digits), or a clear error.
    public func resolve(_ prefix: String) throws(InputError) -> String {
        let wanted = prefix.lowercased()
        guard wanted.count >= 4 else {
            throw InputError(file: folder, line: nil, message: "\(Echo.quoted(prefix)) is too short to name a model: give at least 4 characters of its id (`leadscore models list \(folder)` shows them)")
        }
        let matches = storedModels().filter { $0.hasPrefix(wanted) }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw InputError(file: folder, line: nil, message: "no model in the registry has an id starting with \(Echo.quoted(prefix)) (`leadscore models list \(folder)` shows them)")
        default: throw InputError(file: folder, line: nil, message: "\(matches.count) models have ids starting with \(Echo.quoted(prefix)): give more of the id")
        }
    }

    // MARK: - Writing

    /// Makes a registry in `folder` (missing or empty) with `modelData` (the bytes of a model file) as its current model.
    public static func create(folder: String, modelData: Data, source: String, time: Date = Date()) throws -> ModelRegistry {
        let registry = ModelRegistry(folder: folder)
        _ = try LeadModel.load(data: modelData, path: source)
        // A registry folder without a pointer is an init that was stopped before its end, which may be run again.
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        if FileManager.default.fileExists(atPath: registry.pointerPath) {
            throw OutputError(file: folder, message: "is already a model registry: add models with `leadscore retrain` or `leadscore models promote`")
        }
        guard Set(existing).isSubset(of: ["models", "log.jsonl", ".lock"]) else {
            throw OutputError(file: folder, message: "the folder is not empty: make the registry in a new or empty folder")
        }
        try AtomicFile.makeFolder(registry.modelsFolder)
        let id = try registry.store(modelData, path: source)
        try registry.commit(RegistryRecord(time: Self.timestamp(time), action: .`init`, reason: "the registry was made from \(source)",
                                           previous: nil, current: id))
        return registry
    }

    /// Stores a model file's bytes under their hash (checked as a model first) and returns the id; storing the same
    /// bytes again is a no-op. `path` names the bytes in errors.
    public func store(_ data: Data, path: String) throws -> String {
        _ = try LeadModel.load(data: data, path: path)
        let id = ContentHash.fnv1a(data)
        let target = modelPath(id)
        if let existing = FileManager.default.contents(atPath: target) {
            guard existing == data else {
                throw OutputError(file: target, message: "holds other bytes with the same hash as the new model: the registry never rewrites a model file, so move this one aside first")
            }
            return id
        }
        try AtomicFile.makeFolder(modelsFolder)
        try AtomicFile.write(data, to: target)
        Self.killIfAsked(at: "stored")
        return id
    }

    /// Appends `record` (numbered here) and, when it changes the current model, then replaces the pointer. Under the
    /// registry's lock; `expectedCurrent`, when given, must still be current (a retrain compares against the
    /// champion it read at its start, and fails rather than replace a model made current meanwhile).
    @discardableResult
    public func commit(_ record: RegistryRecord, expectedCurrent: String? = nil) throws -> RegistryRecord {
        try withLock {
            var records = try records()
            let pointer = FileManager.default.fileExists(atPath: pointerPath) ? try self.pointer() : nil
            if let expectedCurrent, pointer?.model != expectedCurrent {
                throw OutputError(file: folder, message: "the current model changed from \(expectedCurrent) to \(pointer?.model ?? "none") while this run went on: nothing was logged and the pointer was not touched; run it again")
            }
            try cutTornTail()
            // A change whose pointer was never written: say so before anything else is added.
            if let pointer, let last = records.last(where: \.changesCurrent), last.seq > pointer.seq,
               !records.contains(where: { $0.interruptedSeq == last.seq }) {
                let note = RegistryRecord(seq: records.count + 1, time: record.time, action: .interrupted,
                                          reason: "the \(last.action.rawValue) of \(last.time) was stopped before it made \(last.current) current; \(pointer.model) stayed current",
                                          previous: pointer.model, current: pointer.model, interruptedSeq: last.seq)
                try append(note)
                records.append(note)
            }
            var numbered = record
            numbered.seq = records.count + 1
            if let pointer { numbered.previous = pointer.model }
            try append(numbered)
            Self.killIfAsked(at: "logged")
            if numbered.changesCurrent {
                try AtomicFile.write(try DeterministicJSON.encode(Pointer(model: numbered.current, seq: numbered.seq)), to: pointerPath)
            }
            return numbered
        }
    }

    /// For the tests that kill a writer between its steps: with `LEADSCORE_REGISTRY_KILL_AT` set to `stage` (`stored`:
    /// a model file written; `logged`: a record appended, its pointer not yet replaced), the process sends itself
    /// SIGKILL there, as a crash or `kill -9` at that moment would. Unset, it does nothing.
    static func killIfAsked(at stage: String) {
        if getenv("LEADSCORE_REGISTRY_KILL_AT").map({ String(cString: $0) }) == stage { kill(getpid(), SIGKILL) }
    }

    /// UTC, to the second, as the log writes times.
    public static func timestamp(_ date: Date) -> String {
        Timestamp(seconds: Int64(date.timeIntervalSince1970.rounded(.down))).iso8601
    }

    /// One `write` of the whole line, appended: a kill leaves the line whole or absent.
    private func append(_ record: RegistryRecord) throws {
        var line = try DeterministicJSON.line(record)
        line.append(0x0A)
        let fd = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(file: logPath, message: "cannot append to the log: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw OutputError(file: logPath, message: "cannot append to the log: \(written < 0 ? String(cString: strerror(errno)) : "the disk is full")")
        }
        guard fsync(fd) == 0 else { throw OutputError(file: logPath, message: "cannot sync the log: \(String(cString: strerror(errno)))") }
    }

    /// Cuts a last line without its newline (left by a write cut short), which no reader counts.
    private func cutTornTail() throws {
        guard let data = FileManager.default.contents(atPath: logPath), let last = data.last, last != 0x0A else { return }
        let keep = data.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        guard truncate(logPath, off_t(keep)) == 0 else {
            throw OutputError(file: logPath, message: "cannot cut the torn last line of the log: \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `body` holding the registry's lock: one writer at a time (a second gets a clear error, not a wait).
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(file: folder, message: "cannot write to the registry: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw OutputError(file: folder, message: "another leadscore is writing to this registry: try again when it has finished")
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
