/// What every page shows around its content: the navigation (the leads only when the server has a history source, a
/// sign-out button only when it asks for a token) and, at the foot, the model and rules being served, so that a
/// reader always knows which model a figure comes from, and sees it change after a reload.
public struct PageFrame: Sendable, Equatable {
    /// The served model file's name and the hash of its bytes.
    public var modelName: String
    public var modelHash: String
    /// The rules file's name (or the rules' own name), when rules are served beside the model.
    public var rulesName: String?
    /// Whether the server has a history source, so that `/leads` exists.
    public var hasLeads: Bool
    /// Whether the server asks for a token, so that a sign-out button makes sense.
    public var signsIn: Bool

    public init(modelName: String, modelHash: String, rulesName: String?, hasLeads: Bool, signsIn: Bool) {
        self.modelName = modelName
        self.modelHash = modelHash
        self.rulesName = rulesName
        self.hasLeads = hasLeads
        self.signsIn = signsIn
    }

    /// The part of the site a page belongs to, marked in the navigation.
    public enum Section: Sendable { case model, score, leads, none }

    /// A whole page: `<!doctype html>`, the head (title, viewport, the style sheet, an empty icon so that the browser
    /// asks for no `/favicon.ico`), the navigation, `<main>` holding `content`, and the foot.
    public func document(title: String, section: Section, content: HTML) -> HTML {
        func link(_ href: String, _ label: String, _ here: Bool) -> HTML {
            here ? "<a href=\"\(href)\" aria-current=\"page\">\(label)</a>" : "<a href=\"\(href)\">\(label)</a>"
        }
        var nav: HTML = link("/", "Model", section == .model) + link("/score", "Score a lead", section == .score)
        if hasLeads { nav += link("/leads", "Open leads", section == .leads) }
        if signsIn {
            nav += "<form method=\"post\" action=\"/logout\" class=\"signout\"><button type=\"submit\">Sign out</button></form>"
        }
        let rules: HTML = rulesName.map { " · rules \($0)" as HTML } ?? ""
        return Self.shell(title: title, nav: nav, content: content, foot: "<p>Serving \(modelName) (\(modelHash))\(rules)</p>")
    }

    /// The page around `content`, with the navigation `nav` and the foot `foot`; what every page has in common.
    static func shell(title: String, nav: HTML, content: HTML, foot: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · leadscore</title>
        <link rel="icon" href="data:,">
        <style>\(PageStyle.css)</style>
        </head>
        <body>
        <header><nav aria-label="leadscore"><span class="brand">leadscore</span>\(nav)</nav></header>
        <main>
        \(content)
        </main>
        <footer>\(foot)</footer>
        </body>
        </html>

        """
    }
}

/// The one style sheet, inline (no file to fetch, no font to load): system fonts, a readable measure, tables that
/// scroll sideways on a phone rather than squeeze, and colours whose contrast passes WCAG AA.
enum PageStyle {
    static let css = HTML(trusted: """
        :root{--ink:#1b1b1b;--muted:#555;--line:#d0d0d0;--soft:#f4f5f7;--link:#0a4fbf;--up:#0b6b2f;--down:#a3161a}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:var(--ink);background:#fff}
        header{background:#12263f;color:#fff}
        header nav{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:center;max-width:72rem;margin:0 auto;padding:.6rem 1rem}
        header nav a{color:#fff;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
        header nav a[aria-current=page]{border-bottom-color:#8fc1ff}
        header nav a:hover,header nav a:focus{border-bottom-color:#fff}
        .brand{font-weight:700;margin-right:.5rem}
        .signout{margin-left:auto}
        .signout button{background:none;border:1px solid #8fa6c1;color:#fff;padding:.2rem .7rem;border-radius:4px;font:inherit;cursor:pointer}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        footer{max-width:72rem;margin:0 auto;padding:0 1rem 2rem;color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
        h1{font-size:1.6rem;margin:.5rem 0 1rem;line-height:1.25}
        h2{font-size:1.25rem;margin:2rem 0 .75rem;line-height:1.3}
        h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
        a{color:var(--link)}
        p{margin:.5rem 0;max-width:48rem}
        .muted{color:var(--muted)}
        .verdict{font-size:1.1rem;border-left:4px solid #12263f;background:var(--soft);padding:.75rem 1rem;max-width:none}
        .facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:1rem 0;padding:0;list-style:none}
        .facts li{background:var(--soft);border-radius:6px;padding:.6rem .8rem}
        .facts b{display:block;font-size:1.25rem}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,32rem),1fr));gap:1rem}
        .reasons{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
        figure{margin:0}
        figure svg{width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
        figcaption{font-size:.9rem;color:var(--muted)}
        .scroll{overflow-x:auto;margin:.5rem 0 1rem}
        table{border-collapse:collapse;font-size:.95rem;min-width:100%}
        caption{text-align:left;color:var(--muted);padding:.25rem 0;font-size:.9rem}
        th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{background:var(--soft);font-weight:600}
        tbody th{background:none}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.group th{background:#e6ebf2}
        .up{color:var(--up)}
        .down{color:var(--down)}
        .band{display:inline-block;padding:0 .45rem;border-radius:999px;background:#e6ebf2;white-space:nowrap}
        .band.top{background:#d3f0dc}
        .band.mid{background:#fdf0c4}
        form.score{display:grid;gap:1rem;max-width:48rem}
        fieldset{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem}
        legend{font-weight:600;padding:0 .25rem}
        .field{display:grid;gap:.2rem;margin-bottom:.6rem}
        .row{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin-bottom:.5rem}
        label{font-weight:500}
        input,select{font:inherit;padding:.4rem .5rem;border:1px solid #767676;border-radius:4px;width:100%;background:#fff;color:var(--ink)}
        button{font:inherit}
        .primary{background:#0a4fbf;color:#fff;border:0;border-radius:4px;padding:.55rem 1.2rem;cursor:pointer;justify-self:start}
        .result{border:1px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0}
        .result>h2:first-child,.error>h2:first-child{margin-top:0}
        .error{border-left:4px solid var(--down);background:#fdecec;padding:.75rem 1rem}
        .search{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end;margin:1rem 0}
        .search .field{margin:0;flex:1 1 14rem}
        .pager{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin:1rem 0}
        .chips{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0}
        .chips a{display:inline-block;padding:.15rem .6rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}
        .chips a[aria-current=true]{background:#12263f;color:#fff;border-color:#12263f}
        pre{background:var(--soft);padding:.75rem;border-radius:6px;overflow-x:auto;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
        code{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
        ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--line)}
        ol.timeline li{padding:.15rem 0 .15rem .8rem;position:relative}
        ol.timeline li::before{content:"";position:absolute;left:-.45rem;top:.65rem;width:.6rem;height:.6rem;border-radius:50%;background:#12263f}
        ol.timeline li.after::before{background:#fff;border:2px solid #767676}
        @media (max-width:40rem){h1{font-size:1.35rem}.row{grid-template-columns:1fr}main{padding:.75rem}}
        """)
}
