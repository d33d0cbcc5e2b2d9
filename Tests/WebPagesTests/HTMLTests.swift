import Testing
@testable import WebPages

@Suite("HTML escaping and forms")
struct HTMLTests {
    @Test("interpolated text is escaped, markup is not")
    func interpolation() {
        let name = "<script>alert('x')</script> & \"q\""
        let html: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(html.text == "<td title=\"&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;\">&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;</td>")
        let inner: HTML = "<b>\(name)</b>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.text == "<p><b>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;</b></p>")
    }

    @Test("control characters become spaces; tabs and newlines stay")
    func controls() {
        #expect(HTML.escape("a\u{0}b\u{1F}c\td\ne\u{FFFE}") == "a b c\td\ne ")
        #expect(HTML.escape("plain") == "plain")
    }

    @Test("ids become URL path components")
    func urlComponent() {
        #expect(HTML.urlComponent("C000042") == "C000042")
        #expect(HTML.urlComponent("a/b c?<é>") == "a%2Fb%20c%3F%3C%C3%A9%3E")
    }

    @Test("a form post: order kept, + and %XX decoded, malformed escapes kept, repeated names")
    func formData() {
        let form = FormData(urlEncoded: Array("a=1+2&b=%3Cx%3E&event_type=x&event_type=&c=%G1%&d&event_type=y".utf8))
        #expect(form["a"] == "1 2")
        #expect(form["b"] == "<x>")
        #expect(form["c"] == "%G1%")
        #expect(form["d"] == "")
        #expect(form.all("event_type") == ["x", "", "y"])
        #expect(form["missing"] == nil)
        #expect(FormData(urlEncoded: Array("x=%FF".utf8))["x"] == "\u{FFFD}")
    }

    @Test("the form becomes the JSON body of POST /v1/score, and the curl command sends it")
    func leadForm() {
        let posted = "contact_id=C%221&created_at=2026-05-01&as_of=2026-07-01&explain=3&profile.job_title=VP+Marketing&profile.company_size=300&profile.other=x&profile.industry=&event_type=pricing_page_view&event_time=2026-06-20T10%3A00%3A00Z&event_type=&event_time=&event_type=it%27s&event_time=2026-06-21"
        let form = LeadForm(FormData(urlEncoded: Array(posted.utf8)))
        #expect(form.reasons == 3)
        #expect(form.events.count == 2)
        let body = String(decoding: form.requestBody(profileFields: ["company_size", "industry", "job_title"]), as: UTF8.self)
        #expect(body == #"{"contact_id":"C\"1","created_at":"2026-05-01","as_of":"2026-07-01","profile":{"company_size":"300","job_title":"VP Marketing"},"events":[{"timestamp":"2026-06-20T10:00:00Z","event":"pricing_page_view"},{"timestamp":"2026-06-21","event":"it's"}]}"#)
        let curl = form.curl(baseURL: "http://127.0.0.1:8080", profileFields: ["job_title"], token: true)
        #expect(curl.hasPrefix("curl -s 'http://127.0.0.1:8080/v1/score?explain=3' -H 'Content-Type: application/json' -H \"Authorization: Bearer $(cat token.txt)\" -d '"))
        #expect(curl.contains(#""event":"it'\''s""#))
    }

    @Test("a reasons count the form does not offer falls back to the default")
    func reasonsChoice() {
        #expect(LeadForm(FormData(urlEncoded: Array("explain=99".utf8))).reasons == 5)
        #expect(LeadForm(FormData(urlEncoded: Array("explain=0".utf8))).reasons == 0)
    }
}
