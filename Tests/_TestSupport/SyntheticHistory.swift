public import Foundation

/// A small seeded contact history as the three CSV files, for every history-mode test: contacts created over 150 days
/// from 2025-01-01, up to 25 events each over the 200 days after, about three quarters decided, wins more likely with
/// more pricing page views. Its random numbers and timestamps are its own (splitmix64, a civil-from-days conversion),
/// independent of the code under test.
public struct SyntheticHistory: Sendable {
    public var contacts: [String] = ["contact_id,created_at,job_title,company_size"]
    public var events: [String] = ["contact_id,timestamp,event,campaign"]
    public var outcomes: [String] = ["contact_id,outcome,decided_at"]
    /// Per decided contact: its cutoff in seconds (decided_at minus the gap).
    public var cutoffs: [(id: String, cutoff: Int64)] = []
    /// Per contact: its id and creation time in seconds.
    public var created: [(id: String, at: Int64)] = []

    public static let day: Int64 = 86_400
    public static let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z

    /// `count` contacts, about three quarters decided; wins more likely with more pricing views.
    public init(count: Int, gapDays: Int64 = 0, seed: UInt64) {
        var state = seed
        func uniform() -> Double { Self.uniform(&state) }
        let titles = ["VP", "Manager", "Engineer", "Director"]
        let kinds = ["page_view", "pricing_page_view", "email_open", "webinar_attended", "demo_request"]
        for i in 0..<count {
            let id = "C\(i)"
            let created = Self.start + Int64(uniform() * 150) * Self.day + Int64(uniform() * 86_000)
            let size = uniform() < 0.1 ? "" : String(Int(10 + uniform() * 5000))
            contacts.append("\(id),\(Self.iso(created)),\(titles[Int(uniform() * 4)]),\(size)")
            self.created.append((id, created))
            var pricing = 0
            for _ in 0..<Int(uniform() * 25) {
                let kind = kinds[min(4, Int(uniform() * uniform() * 5.5))]
                if kind == "pricing_page_view" { pricing += 1 }
                events.append("\(id),\(Self.iso(created + Int64(uniform() * 200 * Double(Self.day)))),\(kind),")
            }
            guard uniform() < 0.75 else { continue }
            let decided = created + (30 + Int64(uniform() * 200)) * Self.day
            let won = uniform() < 0.1 + 0.1 * Double(pricing)
            outcomes.append("\(id),\(won ? "won" : "lost"),\(Self.iso(decided))")
            cutoffs.append((id, decided - gapDays * Self.day))
        }
    }

    /// The same history plus events at and after every decided contact's cutoff, one of a type never seen before.
    public func withFutureEvents() -> [String] {
        var more = events
        for (k, (id, cutoff)) in cutoffs.enumerated() {
            more.append("\(id),\(Self.iso(cutoff)),pricing_page_view,")            // exactly at the cutoff
            more.append("\(id),\(Self.iso(cutoff + Int64(k % 40) * Self.day + 1)),demo_request,")
            more.append("\(id),\(Self.iso(cutoff + 3600)),post_sale_login,")      // a type only seen afterwards
        }
        // Unsorted, as exports are: move the new rows to the front half.
        let added = Array(more[events.count...])
        return [events[0]] + added + events.dropFirst()
    }

    /// The same history plus, for every contact created before `asOf` (epoch seconds), events at and after it, one of a
    /// type never seen before; the new rows first, as unsorted exports have them.
    public func withEventsFrom(asOf: Int64) -> [String] {
        var later: [String] = []
        for (i, contact) in created.enumerated() where contact.at < asOf {
            later.append("\(contact.id),\(Self.iso(asOf)),demo_request,")
            later.append("\(contact.id),\(Self.iso(asOf + Int64(i % 30) * Self.day + 1)),pricing_page_view,")
            later.append("\(contact.id),\(Self.iso(asOf + 3600)),post_sale_login,")
        }
        return [events[0]] + later + events.dropFirst()
    }

    /// Writes the three files into `folder` (with `events` instead of the history's own, when given).
    public func write(to folder: URL, events: [String]? = nil) throws -> (contacts: String, events: String, outcomes: String) {
        let c = folder.appendingPathComponent("contacts.csv"), e = folder.appendingPathComponent("events.csv")
        let o = folder.appendingPathComponent("outcomes.csv")
        try (contacts.joined(separator: "\n") + "\n").write(to: c, atomically: true, encoding: .utf8)
        try ((events ?? self.events).joined(separator: "\n") + "\n").write(to: e, atomically: true, encoding: .utf8)
        try (outcomes.joined(separator: "\n") + "\n").write(to: o, atomically: true, encoding: .utf8)
        return (c.path, e.path, o.path)
    }

    /// The next of a seeded stream of uniforms in [0, 1) (SplitMix64), for the histories tests make up.
    public static func uniform(_ state: inout UInt64) -> Double {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }

    /// Writes contacts, events and outcomes (CSV lines, headers included) into a fresh folder.
    public static func write(contacts: [String], events: [String], outcomes: [String]) -> (contacts: String, events: String, outcomes: String) {
        let folder = ScoringFixtures.folder()
        func write(_ lines: [String], _ name: String) -> String {
            let url = folder.appendingPathComponent(name)
            try! (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        return (write(contacts, "contacts.csv"), write(events, "events.csv"), write(outcomes, "outcomes.csv"))
    }

    /// `2025-01-01T00:00:00Z` for epoch seconds (a civil-from-days conversion, independent of the code under test).
    public static func iso(_ t: Int64) -> String {
        let days = Int(t / day), secs = Int(t % day)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }
}
