import Foundation
package import LeadData

/// Writes a synthetic contact history (`contacts.csv`, `events.csv`, `outcomes.csv`) and each contact's true
/// probability of winning (`truth.csv`) into a folder, from a documented process (see `datasets/README.md`).
///
/// Streaming: contacts are made in blocks, each block rendered straight into reused byte buffers and appended
/// to temporary files, which are renamed into place only when all four are complete. Blocks are independent
/// (every contact and every export chunk has its own seeded stream), so they are rendered on all cores and the
/// bytes do not depend on how many there are.
package struct LeadHistoryGenerator: Sendable {
    package let options: GeneratorOptions

    /// The files written, in this order.
    package static let fileNames = ["contacts.csv", "events.csv", "outcomes.csv", "truth.csv"]

    /// Export chunks: events are grouped by contact, but a few rows are displaced within chunks of this many contacts.
    static let chunkContacts = 16
    /// The share of event rows swapped with another row of the same chunk.
    static let displacedShare = 0.03

    /// Precondition: `options.problem == nil`.
    package init(options: GeneratorOptions) {
        precondition(options.problem == nil, options.problem ?? "")
        self.options = options
    }

    /// Generates into `folder` (which must exist), replacing the four files; `progress` gets the number of
    /// contacts done after each round of blocks. Nothing is replaced unless all four files were written.
    package func write(to folder: String, threads: Int? = nil, progress: (Int) -> Void = { _ in }) throws(OutputError) -> GenerationSummary {
        let prefix = folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/"
        var files: [AtomicFileWriter] = []
        for name in Self.fileNames { files.append(try AtomicFileWriter(path: prefix + name)) }
        defer { for file in files { file.discard() } }

        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, 8))
        let blockContacts = max(256, min(8192, Int(4096 / options.activity))) / Self.chunkContacts * Self.chunkContacts
        // Two sets of blocks: while the workers render one round into one set, the previous round is written from
        // the other. Each block is touched by one thread at a time; the pointer keeps Swift's exclusivity checks
        // on the block, not on the whole collection.
        let names = EventNames(options.change)
        let blocks = UnsafeMutableBufferPointer<RenderedBlock>.allocate(capacity: 2 * workers)
        _ = blocks.initialize(from: (0..<2 * workers).map { _ in RenderedBlock(options: options, names: names) })
        defer {
            _ = blocks.deinitialize()
            blocks.deallocate()
        }
        var total = BlockCounts(nameCount: names.names.count)

        let headers = [
            "contact_id,created_at,job_title,company_size,industry,country,lead_source\n",
            "contact_id,timestamp,event,campaign\n", "contact_id,outcome,decided_at\n", "contact_id,probability\n",
        ]
        for (file, header) in zip(files, headers) { try file.write(Array(header.utf8)) }

        /// Appends the blocks of set `set` to the files, in order.
        func append(set: Int) throws(OutputError) {
            for i in set * workers..<(set + 1) * workers where blocks[i].contactCount > 0 {
                try files[0].write(blocks[i].contacts)
                try files[1].write(blocks[i].events)
                try files[2].write(blocks[i].outcomes)
                try files[3].write(blocks[i].truth)
                total.add(blocks[i].counts)
            }
        }

        var next = 0
        var round = 0
        var writeFailure: OutputError?
        while next < options.contacts {
            let ranges = (0..<workers).map { worker in
                let start = next + worker * blockContacts
                return min(start, options.contacts)..<min(start + blockContacts, options.contacts)
            }
            let rendering = round % 2
            let writing = round > 0 ? 1 - rendering : nil
            let shared = SharedWork(blocks: UnsafeMutableBufferPointer(rebasing: blocks[rendering * workers..<(rendering + 1) * workers])) {
                guard let writing else { return }
                do throws(OutputError) { try append(set: writing) } catch { writeFailure = error }
            }
            DispatchQueue.concurrentPerform(iterations: workers + (writing == nil ? 0 : 1)) { task in
                if task < workers { shared.blocks[task].render(ranges[task]) } else { shared.write() }
            }
            if let writeFailure { throw writeFailure }
            next = ranges.last!.upperBound
            round += 1
            progress(next)
        }
        try append(set: (round - 1) % 2)
        // Every file complete and synced before any replaces its previous version.
        for file in files { try file.finish() }
        for file in files { try file.commit() }

        var summary = GenerationSummary()
        summary.contacts = options.contacts
        summary.events = total.eventCounts.reduce(0, +)
        summary.decided = total.decided
        summary.won = total.won
        summary.open = options.contacts - total.decided
        summary.eventsAfterDecision = total.eventsAfterDecision
        summary.baseRate = total.decided == 0 ? 0 : Double(total.won) / Double(total.decided)
        for (name, count) in zip(names.names, total.eventCounts) { summary.eventCounts[name] = count }
        summary.change = options.change.summary
        for (name, file) in zip(Self.fileNames, files) { summary.bytes[name] = file.bytesWritten }
        return summary
    }
}

/// One round's work: the blocks to render, each touched by one worker only, and the writing of the previous
/// round, which touches the other set of blocks and the files only.
private struct SharedWork: @unchecked Sendable {
    let blocks: UnsafeMutableBufferPointer<RenderedBlock>
    let write: () -> Void
}

/// Tallies of one block, added up for the summary.
struct BlockCounts {
    /// Rows by name, in ``EventNames/names`` order.
    var eventCounts: [Int]
    var decided = 0
    var won = 0
    var eventsAfterDecision = 0

    init(nameCount: Int) {
        eventCounts = [Int](repeating: 0, count: nameCount)
    }

    mutating func add(_ other: BlockCounts) {
        for i in eventCounts.indices { eventCounts[i] += other.eventCounts[i] }
        decided += other.decided
        won += other.won
        eventsAfterDecision += other.eventsAfterDecision
    }
}

/// One block of contacts rendered into the bytes of the four files; reused from block to block.
struct RenderedBlock {
    private var simulator: ContactSimulator
    private let idWidth: Int
    private let dates: DateTable
    private let names: EventNames
    private(set) var contacts = ByteBuffer(capacity: 1 << 18)
    private(set) var events = ByteBuffer(capacity: 1 << 20)
    private(set) var outcomes = ByteBuffer(capacity: 1 << 16)
    private(set) var truth = ByteBuffer(capacity: 1 << 16)
    private(set) var counts: BlockCounts
    /// Contacts in the block (0 for a worker with nothing to do in the last round).
    private(set) var contactCount = 0
    /// The current export chunk's event rows: which contact of the chunk, and the event.
    private var chunk: [(contact: Int, event: SyntheticEvent)] = []

    init(options: GeneratorOptions, names: EventNames) {
        simulator = ContactSimulator(options: options)
        dates = DateTable(from: options.start, to: options.end)
        self.names = names
        counts = BlockCounts(nameCount: names.names.count)
        var width = 6
        var limit = 1_000_000
        while options.contacts >= limit {
            width += 1
            limit *= 10
        }
        idWidth = width
    }

    /// Replaces the contents with contacts `range` (whole export chunks, except at the very end).
    mutating func render(_ range: Range<Int>) {
        contacts.removeAll()
        events.removeAll()
        outcomes.removeAll()
        truth.removeAll()
        counts = BlockCounts(nameCount: names.names.count)
        contactCount = range.count
        let chunkContacts = LeadHistoryGenerator.chunkContacts
        var chunkStart = range.lowerBound
        while chunkStart < range.upperBound {
            let chunkEnd = min(chunkStart + chunkContacts, range.upperBound)
            chunk.removeAll(keepingCapacity: true)
            for index in chunkStart..<chunkEnd {
                let contact = simulator.simulate(index)
                writeContact(index, contact)
                for event in simulator.events { chunk.append((index, event)) }
            }
            displaceRows(chunkIndex: chunkStart / chunkContacts)
            let width = idWidth, dates = dates, names = names
            for (index, event) in chunk {
                let name = names.index(of: event)
                counts.eventCounts[name] += 1
                events.row(maxBytes: 16 + 22 + names.longest + 3 + Campaign.maxBytes) { row in
                    Self.writeID(index, width: width, to: &row)
                    row.byte(UInt8(ascii: ","))
                    dates.write(event.time, to: &row)
                    row.byte(UInt8(ascii: ","))
                    names.write(name, to: &row)
                    row.byte(UInt8(ascii: ","))
                    event.campaign.write(to: &row)
                    row.byte(UInt8(ascii: "\n"))
                }
            }
            chunkStart = chunkEnd
        }
    }

    /// Swaps a few rows with others of the same chunk, as exports that page through a database do.
    private mutating func displaceRows(chunkIndex: Int) {
        guard chunk.count > 1 else { return }
        var random = SeededGenerator.forItem(chunkIndex, of: 2, seed: simulator.options.seed)
        for i in chunk.indices where random.bernoulli(LeadHistoryGenerator.displacedShare) {
            chunk.swapAt(i, Int(random.next() % UInt64(chunk.count)))
        }
    }

    private mutating func writeContact(_ index: Int, _ contact: SimulatedContact) {
        let width = idWidth, dates = dates
        contacts.row(maxBytes: 16 + 22 + Persona.maxBytes + 2) { row in
            Self.writeID(index, width: width, to: &row)
            row.byte(UInt8(ascii: ","))
            dates.write(contact.created, to: &row)
            row.byte(UInt8(ascii: ","))
            contact.persona.write(to: &row)
            row.byte(UInt8(ascii: "\n"))
        }
        if let decision = contact.decision {
            counts.decided += 1
            if decision.won { counts.won += 1 }
            counts.eventsAfterDecision += contact.eventsAfterDecision
            outcomes.row(maxBytes: 16 + 6 + 22) { row in
                Self.writeID(index, width: width, to: &row)
                row.text(decision.won ? ",won," : ",lost,")
                dates.write(decision.time, to: &row)
                row.byte(UInt8(ascii: "\n"))
            }
        }
        truth.row(maxBytes: 16 + 14) { row in
            Self.writeID(index, width: width, to: &row)
            row.byte(UInt8(ascii: ","))
            row.probability(contact.probability, decimals: 10)
            row.byte(UInt8(ascii: "\n"))
        }
    }

    /// `C000123`: the contact's number from 1, zero-padded to at least six digits.
    @inline(__always)
    private static func writeID(_ index: Int, width: Int, to row: inout RowWriter) {
        row.byte(UInt8(ascii: "C"))
        row.zeroPadded(index + 1, width: width)
    }
}
