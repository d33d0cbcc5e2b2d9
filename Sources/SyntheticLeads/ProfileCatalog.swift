/// One value of a categorical profile field: its CSV text, its share of contacts, and its effect on buying
/// intent and on the log-odds of winning (the same number for both; 0 = no effect).
struct ProfileValue {
    /// The field as written to CSV (quoted where RFC 4180 needs it); empty = unknown.
    let csv: StaticString
    let share: Double
    let effect: Double
}

/// An industry, with the median company size of its leads.
struct IndustryValue {
    let csv: StaticString
    let share: Double
    let effect: Double
    let medianEmployees: Double
}

/// The personas' profile fields, their shares and their effects. The README's tables are copied from here.
enum ProfileCatalog {
    static let jobTitles: [ProfileValue] = [
        ProfileValue(csv: "CEO", share: 0.03, effect: 0.20),
        ProfileValue(csv: "Founder", share: 0.03, effect: 0.00),
        ProfileValue(csv: "VP Marketing", share: 0.05, effect: 0.50),
        ProfileValue(csv: "VP Sales", share: 0.04, effect: 0.40),
        ProfileValue(csv: "Director of Marketing", share: 0.07, effect: 0.40),
        // A comma inside a value: quoted, as RFC 4180 wants and as CRM exports do.
        ProfileValue(csv: "\"Director, Demand Generation\"", share: 0.03, effect: 0.45),
        ProfileValue(csv: "Head of Growth", share: 0.04, effect: 0.30),
        ProfileValue(csv: "IT Director", share: 0.04, effect: 0.20),
        ProfileValue(csv: "Marketing Manager", share: 0.14, effect: 0.15),
        ProfileValue(csv: "Sales Operations Manager", share: 0.07, effect: 0.20),
        ProfileValue(csv: "Marketing Specialist", share: 0.12, effect: 0.00),
        ProfileValue(csv: "Software Engineer", share: 0.09, effect: -0.30),
        ProfileValue(csv: "Analyst", share: 0.08, effect: -0.10),
        ProfileValue(csv: "Consultant", share: 0.07, effect: -0.40),
        ProfileValue(csv: "Office Manager", share: 0.05, effect: -0.50),
        ProfileValue(csv: "Student", share: 0.04, effect: -1.20),
    ]
    static let founder = 1, ceo = 0, student = 15

    /// Agriculture and Mining are rare on purpose (about 10 and 14 per 20,000), to exercise pooling into `other`.
    static let industries: [IndustryValue] = [
        IndustryValue(csv: "Software", share: 0.24, effect: 0.30, medianEmployees: 120),
        IndustryValue(csv: "Financial Services", share: 0.14, effect: 0.20, medianEmployees: 900),
        IndustryValue(csv: "Healthcare", share: 0.12, effect: 0.00, medianEmployees: 600),
        IndustryValue(csv: "Manufacturing", share: 0.12, effect: 0.10, medianEmployees: 450),
        IndustryValue(csv: "Retail", share: 0.10, effect: -0.10, medianEmployees: 300),
        IndustryValue(csv: "Education", share: 0.09, effect: -0.30, medianEmployees: 400),
        IndustryValue(csv: "Media", share: 0.07, effect: -0.10, medianEmployees: 150),
        IndustryValue(csv: "Government", share: 0.07, effect: -0.40, medianEmployees: 1500),
        IndustryValue(csv: "Nonprofit", share: 0.0488, effect: -0.30, medianEmployees: 80),
        IndustryValue(csv: "Agriculture", share: 0.0005, effect: 0.00, medianEmployees: 200),
        IndustryValue(csv: "Mining", share: 0.0007, effect: 0.00, medianEmployees: 800),
    ]

    /// Country has no effect on anything: a profile field that carries no signal.
    static let countries: [ProfileValue] = [
        ProfileValue(csv: "US", share: 0.40, effect: 0), ProfileValue(csv: "UK", share: 0.11, effect: 0),
        ProfileValue(csv: "DE", share: 0.08, effect: 0), ProfileValue(csv: "CA", share: 0.07, effect: 0),
        ProfileValue(csv: "FR", share: 0.06, effect: 0), ProfileValue(csv: "AU", share: 0.05, effect: 0),
        ProfileValue(csv: "NL", share: 0.04, effect: 0), ProfileValue(csv: "IN", share: 0.04, effect: 0),
        ProfileValue(csv: "SE", share: 0.03, effect: 0), ProfileValue(csv: "ES", share: 0.03, effect: 0),
        ProfileValue(csv: "BR", share: 0.03, effect: 0), ProfileValue(csv: "IT", share: 0.02, effect: 0),
        ProfileValue(csv: "JP", share: 0.015, effect: 0), ProfileValue(csv: "SG", share: 0.012, effect: 0),
        ProfileValue(csv: "MX", share: 0.010, effect: 0), ProfileValue(csv: "NZ", share: 0.0006, effect: 0),
        ProfileValue(csv: "IE", share: 0.0006, effect: 0), ProfileValue(csv: "ZA", share: 0.0018, effect: 0),
    ]

    static let leadSources: [ProfileValue] = [
        ProfileValue(csv: "Organic Search", share: 0.27, effect: 0.10),
        ProfileValue(csv: "Paid Search", share: 0.17, effect: 0.00),
        ProfileValue(csv: "Referral", share: 0.07, effect: 0.50),
        ProfileValue(csv: "Webinar", share: 0.12, effect: 0.00),
        ProfileValue(csv: "Trade Show", share: 0.08, effect: 0.20),
        ProfileValue(csv: "Partner", share: 0.06, effect: 0.30),
        ProfileValue(csv: "Content Syndication", share: 0.16, effect: -0.50),
        ProfileValue(csv: "", share: 0.07, effect: 0.00),
    ]
    static let organicSearch = 0, paidSearch = 1, referral = 2, webinar = 3, tradeShow = 4, partner = 5,
        contentSyndication = 6, unknownSource = 7

    static let jobTitleCumulative = cumulative(jobTitles.map(\.share))
    static let industryCumulative = cumulative(industries.map(\.share))
    static let countryCumulative = cumulative(countries.map(\.share))
    static let leadSourceCumulative = cumulative(leadSources.map(\.share))

    /// Cumulative lead-source shares with `source`'s share multiplied by `factor` and the others' scaled down in
    /// proportion, so that they still add up to 1 (every share is below a half, so a factor of 2 fits).
    static func leadSourceCumulative(scaling source: Int, by factor: Double) -> [Double] {
        let scaled = leadSources[source].share * factor
        let rest = (1 - scaled) / (1 - leadSources[source].share)
        return cumulative(leadSources.indices.map { $0 == source ? scaled : leadSources[$0].share * rest })
    }

    private static func cumulative(_ shares: [Double]) -> [Double] {
        var total = 0.0
        return shares.map { share in
            total += share
            return total
        }
    }
}
