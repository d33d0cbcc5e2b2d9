import Foundation
import LeadData

/// How a contact's story ended, as far as the data goes.
struct Decision {
    var time: Int64
    var won: Bool
}

/// One generated contact; its events are in the simulator's ``ContactSimulator/events`` until the next contact.
struct SimulatedContact {
    var created: Int64
    var persona: Persona
    /// nil = still open at the end of the data (no row in `outcomes.csv`).
    var decision: Decision?
    /// The true probability of winning as of the decision (or the end of the data for open contacts).
    var probability: Double
    /// How many of the contact's events are at or after its decision.
    var eventsAfterDecision: Int
}

/// Simulates one contact at a time, week by week, from its creation to its decision or the end of the data.
///
/// Each contact draws from its own seeded stream, so contact `i` is the same whatever is generated around it.
/// The process is written out, with its reasons, in `datasets/README.md`; the numbers live here.
struct ContactSimulator {
    let options: GeneratorOptions
    /// ``ProcessChange/at``, or never.
    private let changeAt: Int64
    /// The `--source-drop` source and the cumulative lead-source shares of contacts created from the change date
    /// on; nil without the option.
    private let sourceDrop: (source: Int, shares: [Double])?
    /// The current contact's events, sorted by time once ``simulate(_:)`` returns.
    private(set) var events: [SyntheticEvent] = []
    /// The time of the latest purposeful event (see ``EventKind/isActivity``) of the current contact.
    private var lastActivity: Int64 = 0

    static let day: Int64 = 86_400
    static let week: Int64 = 7 * 86_400
    /// The in-market boost decays with a time constant of six weeks.
    static let weeklyBoostDecay = exp(-1.0 / 6)
    /// exp(2 * 1.2): the decision hazard's sigmoid is centred at intent 1.2.
    static let hazardCentre = exp(2.4)

    init(options: GeneratorOptions) {
        self.options = options
        changeAt = options.change.at ?? .max
        sourceDrop = options.change.droppedSource.map { source in
            (source, ProfileCatalog.leadSourceCumulative(scaling: source, by: ProcessChange.sourceDropShareFactor))
        }
        events.reserveCapacity(256)
    }

    /// The latent state of a contact that email behaviour depends on.
    private struct Mailbox {
        var subscribed = true
        /// Privacy proxies, link scanners and preview panes "open" (and sometimes "click") on the person's behalf.
        let bot: Bool
        /// The chance the person opens a given email: a trait, unrelated to intent.
        let openRate: Double
    }

    mutating func simulate(_ index: Int) -> SimulatedContact {
        var random = SeededGenerator.forItem(index, of: 1, seed: options.seed)
        events.removeAll(keepingCapacity: true)
        let activity = options.activity
        let end = options.end

        // Profile and traits.
        let created = creationTime(index, &random)
        lastActivity = created
        var persona: Persona
        if let sourceDrop, created >= changeAt {
            persona = Persona(using: &random, leadSourceShares: sourceDrop.shares)
            if persona.leadSource == sourceDrop.source { persona.leadSourceShift = ProcessChange.sourceDropEffect }
        } else {
            persona = Persona(using: &random)
        }
        let isStudent = persona.jobTitle == ProfileCatalog.student
        let baseIntent = -1.0 + 0.8 * persona.fit + 0.5 * persona.sizeEffect + 0.7 * random.normal()
        let browsing = exp(0.9 * random.normal() - 0.4) * (isStudent ? 1.5 : 1)
        let chattiness = exp(0.9 * random.normal() - 0.4)
        var mailbox = Mailbox(bot: random.bernoulli(0.2), openRate: 0.05 + 0.25 * random.nextDouble())
        // The in-market window: starts after an exponential wait (shorter for a better fit), then decays.
        let entryRate = 0.03 * exp(0.6 * (baseIntent + 1))
        let marketEntry = created + Int64(min(random.exponential(mean: 1 / entryRate), 10_000) * Double(Self.week))
        let marketBoost = max(0.5, 2.2 + 0.5 * random.normal())
        var wander = 0.57 * random.normal()

        // The event that created the contact.
        let source = persona.leadSource
        switch source {
        case ProfileCatalog.organicSearch, ProfileCatalog.paidSearch, ProfileCatalog.referral, ProfileCatalog.unknownSource:
            add(.pageView, at: created + Int64(random.nextDouble() * 120))
        case ProfileCatalog.contentSyndication:
            add(.contentDownload, at: created, campaign: .asset(Int(random.next() % UInt64(Campaign.assetCount))))
        case ProfileCatalog.webinar:
            if random.bernoulli(0.6) {
                let held = created + Self.day + Int64(random.nextDouble() * Double(9 * Self.day))
                add(.webinarAttended, at: held, campaign: .webinar(heldAt: held))
            }
        default:
            break
        }

        // Week by week until the decision or the end of the data. Web events of all kinds come as one Poisson
        // stream per week whose kinds are drawn in proportion to their rates (the same as one stream per kind).
        // Rates per week, at intent 0:
        let pageViewRate = activity * 0.10 * browsing                  // x exp(0.55 intent): moderately with intent
        let pricingRate = activity * 0.05                              // x exp(1.2 intent): strongly
        let webinarRate = activity * 0.01 * (source == ProfileCatalog.webinar ? 4 : 1)   // x exp(0.25 intent): weakly
        let downloadRate = activity * 0.01 * browsing.squareRoot() * (source == ProfileCatalog.contentSyndication ? 3 : 1)
        let chatRate = activity * 0.02 * chattiness                    // no intent: noise
        let referralRate = activity * 0.000_05                         // no intent: rare
        let demoRate = 0.012                                           // x exp(1.4 intent): strongly; once at most
        let cadence = Int64(Double(28 * Self.day) / activity)
        var nextEmail = created + 2 * Self.day + Int64(random.nextDouble() * Double(Self.day))
        var demoRequested = false
        var newEvent = options.change.newEvent == nil ? nil : NewEventArrival(contact: index, from: changeAt, seed: options.seed)
        var decisionTime: Int64?
        var intent = baseIntent
        var boost = 0.0
        var spareNormal: Double?
        var weekStart = created
        while weekStart < end {
            let weekEnd = min(weekStart + Self.week, end)
            let span = Double(weekEnd - weekStart)
            let fraction = span / Double(Self.week)
            if let spare = spareNormal {
                wander = 0.85 * wander + 0.3 * spare
                spareNormal = nil
            } else {
                let pair = random.normalPair()
                wander = 0.85 * wander + 0.3 * pair.0
                spareNormal = pair.1
            }
            if weekStart >= marketEntry {
                // Weeks advance by exactly a week until the last, so after the first the decay is a constant factor.
                boost = boost == 0 ? marketBoost * exp(-Double(weekStart - marketEntry) / Double(6 * Self.week)) : boost * Self.weeklyBoostDecay
            }
            let idleWeeks = Double(weekStart - lastActivity) / Double(Self.week)
            intent = baseIntent + boost + wander - min(0.06 * max(idleWeeks - 2, 0), 1.5) - (mailbox.subscribed ? 0 : 0.8)

            // exp(k * intent) for the k above, as powers of exp(0.05 * intent): one exp a week, not five.
            let q = exp(0.05 * intent)
            let q2 = q * q, q4 = q2 * q2, q5 = q4 * q, q10 = q5 * q5, q11 = q10 * q, q20 = q10 * q10
            let q24 = q20 * q4, q28 = q24 * q4
            let rates = (pageViewRate * q11, pricingRate * q24, webinarRate * q5, downloadRate * q5, chatRate, referralRate,
                         demoRequested ? 0 : demoRate * q28)
            let total = rates.0 + rates.1 + rates.2 + rates.3 + rates.4 + rates.5 + rates.6
            for _ in 0..<random.poisson(mean: total * fraction) {
                let time = weekStart + Int64(random.nextDouble() * span)
                var pick = random.nextDouble() * total - rates.0
                if pick < 0 { add(.pageView, at: time); continue }
                pick -= rates.1
                if pick < 0 { add(.pricingPageView, at: time); continue }
                pick -= rates.2
                if pick < 0 { add(.webinarAttended, at: time, campaign: .webinar(heldAt: time)); continue }
                pick -= rates.3
                if pick < 0 {
                    add(.contentDownload, at: time, campaign: .asset(Int(random.next() % UInt64(Campaign.assetCount))))
                    continue
                }
                pick -= rates.4
                if pick < 0 { add(.chatWidgetOpen, at: time); continue }
                pick -= rates.5
                if pick < 0 { add(.partnerReferral, at: time); continue }
                if !demoRequested {
                    demoRequested = true
                    add(.demoRequest, at: time)
                }
            }
            if let time = newEvent?.time(from: weekStart, to: weekEnd, intent: intent) { add(.newEvent, at: time) }
            while mailbox.subscribed && nextEmail < weekEnd {
                sendEmail(at: nextEmail, campaign: .nurture(sentAt: nextEmail), intent: intent, mailbox: &mailbox, random: &random)
                nextEmail += cadence
            }

            // Sales closes in-market leads and leads that asked for a demo sooner; long-idle leads get closed out.
            var hazard = 0.02 + 0.2 / (1 + Self.hazardCentre / (q20 * q20))   // 0.2 sigmoid(2 (intent - 1.2))
            if demoRequested { hazard += 0.12 }
            if Double(weekEnd - lastActivity) >= 20 * Double(Self.week) { hazard += 0.15 }
            if random.bernoulli(1 - exp(-hazard * fraction)) {
                decisionTime = weekStart + Int64(random.nextDouble() * span)
                break
            }
            weekStart = weekEnd
        }

        // Nothing recorded at or after the cutoff takes part in the truth.
        let cutoff = decisionTime ?? end
        events.removeAll { $0.time >= cutoff }
        let probability = ConversionModel.probability(
            logOdds: ConversionModel.logOdds(persona: persona, history: events, before: cutoff, activity: activity))
        let countBefore = events.count

        var decision: Decision?
        if let decisionTime {
            let won = random.bernoulli(probability)
            decision = Decision(time: decisionTime, won: won)
            if won {
                // A new customer keeps visiting (onboarding, docs); a third of them right at the decision.
                let visits = 1 + random.poisson(mean: 3)
                for visit in 0..<visits {
                    let atDecision = visit == 0 && random.bernoulli(1.0 / 3)
                    add(.pageView, at: decisionTime + (atDecision ? 0 : Int64(random.nextDouble() * Double(60 * Self.day))))
                }
            } else {
                // A lost lead goes back to marketing: a win-back email 30 days on.
                if mailbox.subscribed {
                    sendEmail(at: decisionTime + 30 * Self.day, campaign: .winBack, intent: intent - 1,
                              mailbox: &mailbox, random: &random)
                }
            }
            events.removeAll { $0.time >= end }
        }
        events.sort(by: SyntheticEvent.precedes)
        return SimulatedContact(created: created, persona: persona, decision: decision, probability: probability,
                                eventsAfterDecision: events.count - countBefore)
    }

    /// Contact `index` of N is created in order over the span, with lead volume growing by half from the first
    /// day to the last, at a whole minute, mostly in business hours (UTC).
    private func creationTime(_ index: Int, _ random: inout SeededGenerator) -> Int64 {
        let growth = 0.5
        let share = (Double(index) + random.nextDouble()) / Double(options.contacts)
        let position = ((1 + 2 * growth * share * (1 + growth / 2)).squareRoot() - 1) / growth
        let day = min(Int64(position * Double(options.days)), Int64(options.days - 1))
        let minute = random.bernoulli(0.8) ? 480 + Int64(random.nextDouble() * 600) : Int64(random.nextDouble() * 1440)
        return options.start + day * Self.day + minute * 60
    }

    /// One marketing email sent at `sent`: machine opens and link scans, the person's open, click and unsubscribe.
    private mutating func sendEmail(at sent: Int64, campaign: Campaign, intent: Double, mailbox: inout Mailbox,
                                    random: inout SeededGenerator) {
        if mailbox.bot {
            if random.bernoulli(0.9) { add(.emailOpen, at: sent + Int64(random.exponential(mean: 120))) }
            for _ in 0..<random.poisson(mean: 0.2) {
                add(.emailOpen, at: sent + Int64(random.nextDouble() * Double(3 * Self.day)))
            }
            if random.bernoulli(0.05) { add(.emailClick, at: sent + 5 + Int64(random.nextDouble() * 55), campaign: campaign) }
        }
        guard random.bernoulli(mailbox.openRate) else { return }
        let opened = sent + Int64(random.exponential(mean: 8 * 3600))
        add(.emailOpen, at: opened)
        if random.bernoulli(min(0.5, 0.05 * exp(0.5 * intent))) {
            add(.emailClick, at: opened + 1 + Int64(random.exponential(mean: 60)), campaign: campaign)
        }
        if random.bernoulli(min(0.2, 0.006 * exp(-0.6 * intent))) {
            add(.unsubscribe, at: opened + 30 + Int64(random.nextDouble() * 270))
            mailbox.subscribed = false
        }
    }

    @inline(__always)
    private mutating func add(_ kind: EventKind, at time: Int64, campaign: Campaign = .none) {
        events.append(SyntheticEvent(kind, at: time, campaign: campaign))
        if kind.isActivity && time > lastActivity { lastActivity = time }
    }
}

/// When a contact emits the `--new-event` event: at most once, from the change date on, with a weekly hazard of
/// 0.004 exp(1.6 intent) (like `demo_request`, not scaled by `--activity`), so mostly while in market. It draws
/// from a stream of its own, so that the contact's other draws are those of a run without the option.
struct NewEventArrival {
    private var random: SeededGenerator
    private let from: Int64
    private var arrived = false

    /// The weekly hazard is `weeklyRate * exp(intentSlope * intent)`: steeper in intent than `demo_request`'s.
    static let weeklyRate = 0.004, intentSlope = 1.6

    init(contact index: Int, from: Int64, seed: UInt64) {
        random = SeededGenerator.forItem(index, of: 3, seed: seed)
        self.from = from
    }

    /// The time of the event within `weekStart..<weekEnd` for a contact at `intent` that week, or nil.
    mutating func time(from weekStart: Int64, to weekEnd: Int64, intent: Double) -> Int64? {
        let start = max(weekStart, from)
        guard !arrived, start < weekEnd else { return nil }
        let span = Double(weekEnd - start)
        let hazard = Self.weeklyRate * exp(Self.intentSlope * intent) * span / Double(ContactSimulator.week)
        guard random.bernoulli(1 - exp(-hazard)) else { return nil }
        arrived = true
        return start + Int64(random.nextDouble() * span)
    }
}
