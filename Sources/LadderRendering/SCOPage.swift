import Foundation
import LadderCore

/// One rendered SCO: its HTML page and the files it needs, all in memory.
public struct RenderedSCO: Sendable {
    /// The plan item this SCO delivers.
    public var item: PlanItem
    /// Folder inside the package (the item id).
    public var folder: String
    /// `folder/index.html`.
    public var launch: String { "\(folder)/index.html" }
    public var html: Data
    /// Package path → source file on disk (images), streamed into the zip when written.
    public var media: [String: URL]
    /// The longest `cmi.suspend_data` this SCO can write (see docs/runtime.md).
    public var worstSuspendData: Int
}

/// Rendering: plan items → HTML pages for the SCO runtime (docs/runtime.md describes the
/// page contract `ladder.js` relies on). Pure and deterministic: same input, same bytes.
public struct SCORenderer: Sendable {
    public let curriculum: Curriculum
    public let courseTitle: String
    /// Ladder's own page text, in the curriculum's language.
    let strings: PageStrings
    /// Responsibilities by id, built once: a build renders thousands of items.
    private let responsibilities: [String: Responsibility]

    public init(curriculum: Curriculum, courseTitle: String) {
        self.curriculum = curriculum
        self.courseTitle = courseTitle
        strings = PageStrings(curriculum.pageLanguage)
        responsibilities = Dictionary(curriculum.responsibilities.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func responsibility(_ id: String) -> Responsibility? { responsibilities[id] }

    public func render(_ item: PlanItem) -> RenderedSCO {
        let r = responsibilities[item.responsibility]
        var media: [String: URL] = [:]
        let body: String
        let config: [String: ScriptJSON]
        var worst = 0
        switch item.kind {
        case .module:
            let pages = r?.module?.pages ?? []
            let intro = moduleIntro(r?.module)
            var sections = ""
            if pages.isEmpty {
                // A draft module: show what the responsibility expects, plainly marked.
                sections = section(
                    1, title: strings.text(.moduleAbout),
                    html: intro + "<p class=\"ladder-draft\">\(strings.html(.moduleDraft))</p>\n<p>\(HTML.escape(r?.statement ?? item.title))</p>\n")
            }
            for (i, page) in pages.enumerated() {
                let folder = PagePaths.folder(of: page.path)
                let doc = Markdown.render(
                    Self.droppingTitleHeading(page.markdown, title: page.title), headingOffset: 1, idPrefix: "page-\(i + 1)-",
                    imageSource: { Self.packagedImage($0, folder: folder)?.packaged ?? $0 })
                for src in doc.imageSources {
                    if let image = Self.packagedImage(src, folder: folder) {
                        media["\(item.id)/\(image.packaged)"] = curriculum.root.appendingPathComponent(image.source)
                    }
                }
                sections += section(i + 1, title: page.title, html: (i == 0 ? intro : "") + doc.html)
            }
            let count = max(pages.count, 1)
            body = sections + """
                <nav class="ladder-nav" aria-label="\(strings.html(.pagesLabel))"><button type="button" data-action="prev">\(strings.html(.previous))</button><span class="ladder-progress" aria-live="polite"></span><button type="button" data-action="next">\(strings.html(.next))</button><button type="button" data-action="finish">\(strings.html(.finish))</button></nav>

                """
            config = ["v": .int(1), "kind": .string("module"), "id": .string(item.id), "title": .string(item.title), "pages": .int(count)]
            worst = #"{"v":1,"p":\#(count)}"#.count
        case .assessment:
            let a = r?.assessment
            let key = AnswerKey(curriculum: curriculum.id, item: item.id)
            let bank = a?.questions ?? []
            var form = "<form id=\"ladder-quiz\" class=\"ladder-quiz\" novalidate>\n"
            var questions: [ScriptJSON] = []
            for (qi, q) in bank.enumerated() {
                let letters = q.kind == .trueFalse ? q.options.map { $0.text.lowercased() == "true" ? "t" : "f" } : q.options.indices.map { String(UnicodeScalar(UInt8(97 + $0))) }
                let inputType = q.kind == .multiple ? "checkbox" : "radio"
                let qid = "q-\(q.id)"
                form += "<fieldset class=\"ladder-question\" id=\"\(HTML.escape(qid))\" data-question=\"\(HTML.escape(q.id))\">\n"
                form += "<legend><span class=\"ladder-qnum\">\(qi + 1).</span> \(HTML.escape(q.prompt))</legend>\n"
                if let s = q.scenario { form += "<p class=\"ladder-scenario\">\(HTML.escape(s))</p>\n" }
                if q.kind == .multiple { form += "<p class=\"ladder-hint\">\(strings.html(.chooseEvery))</p>\n" }
                for (oi, o) in q.options.enumerated() {
                    let oid = "\(qid)-\(letters[oi])"
                    // The feedback is filled in by the runtime from the sealed copy in the config.
                    form += "<div class=\"ladder-option\"><input type=\"\(inputType)\" id=\"\(HTML.escape(oid))\" name=\"\(HTML.escape(qid))\" value=\"\(letters[oi])\"><label for=\"\(HTML.escape(oid))\">\(HTML.escape(o.text))</label><p class=\"ladder-feedback\" id=\"\(HTML.escape(oid))-feedback\" hidden></p></div>\n"
                }
                form += "</fieldset>\n"
                questions.append(.object([
                    "id": .string(q.id), "type": .string(q.kind == .trueFalse ? "true-false" : "choice"), "multiple": .bool(q.kind == .multiple),
                    "options": .array(letters.map { .string($0) }),
                    "key": .array(q.options.indices.map { .string(key.marker(question: q.id, letter: letters[$0], correct: q.options[$0].correct)) }),
                    "feedback": .array(q.options.indices.map { .string(key.sealFeedback(q.options[$0].feedback, question: q.id, letter: letters[$0])) }),
                ]))
            }
            form += "<button type=\"submit\" class=\"ladder-primary\">\(strings.html(.submitAnswers))</button>\n</form>\n"
            form += "<div id=\"ladder-result\" class=\"ladder-result\" role=\"status\" aria-live=\"polite\" hidden></div>\n"
            form += "<button type=\"button\" data-action=\"retry\" hidden>\(strings.html(.tryAgain))</button>\n"
            let shown = a?.questionsPerAttempt ?? 0
            let values = ["count": String(shown), "bank": String(bank.count), "mastery": String(item.masteryScore ?? 0)]
            let intro = "<p class=\"ladder-intro\">\(strings.html(a?.draw != nil ? .quizIntroDrawn : .quizIntro, count: shown, values))</p>\n"
            body = intro + form
            var c: [String: ScriptJSON] = [
                "v": .int(1), "kind": .string("assessment"), "id": .string(item.id), "title": .string(item.title),
                "mastery": .int(item.masteryScore ?? 0), "questions": .array(questions), "salt": .string(key.salt),
            ]
            if let d = a?.draw { c["draw"] = .int(d) }
            if a?.shuffle == true { c["shuffle"] = .bool(true) }
            config = c
            worst = Self.worstQuizSuspendData(optionCounts: bank.map(\.options.count), draw: a?.draw, shuffle: a?.shuffle ?? false)
        case .shadowing:
            let s = r?.shadowing
            var html = "<section class=\"ladder-shadowing\">\n"
            html += "<h2>\(strings.html(.whereAndWho))</h2>\n<dl>\n<dt>\(strings.html(.setting))</dt><dd>\(HTML.escape(s?.setting ?? ""))</dd>\n"
            html += "<dt>\(strings.html(.observer))</dt><dd>\(HTML.escape(s?.observer ?? ""))</dd>\n<dt>\(strings.html(.timeOnJob))</dt><dd>\(Durations.minutes(s?.minutes ?? 0, zeroMinutes: false))</dd>\n</dl>\n"
            if let observe = s?.observe, !observe.isEmpty {
                html += "<h2>\(strings.html(.firstObserve))</h2>\n<ul>\n" + observe.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n"
            }
            html += "<h2>\(strings.html(.evidenceAndSignOff))</h2>\n<p>\(HTML.escape(s?.evidence ?? ""))</p>\n<p>\(HTML.escape(s?.signOff ?? ""))</p>\n</section>\n"
            html += "<form id=\"ladder-signoff\" class=\"ladder-signoff\">\n<fieldset>\n<legend>\(strings.html(.behavioursLegend))</legend>\n"
            for b in s?.behaviours ?? [] {
                let bid = "b-\(b.id)"
                html += "<div class=\"ladder-behaviour\" data-behaviour=\"\(HTML.escape(b.id))\"><input type=\"checkbox\" id=\"\(HTML.escape(bid))\" name=\"\(HTML.escape(bid))\" value=\"\(HTML.escape(b.id))\"><label for=\"\(HTML.escape(bid))\">\(HTML.escape(b.text))</label>"
                if let e = b.evidence { html += "<p class=\"ladder-evidence\">\(HTML.escape(e))</p>" }
                html += "</div>\n"
            }
            html += "</fieldset>\n<label for=\"ladder-observer\">\(strings.html(.observerName))</label><input id=\"ladder-observer\" name=\"observer\" maxlength=\"64\" autocomplete=\"name\">\n"
            html += "<label for=\"ladder-date\">\(strings.html(.dateObserved))</label><input id=\"ladder-date\" name=\"date\" type=\"date\">\n"
            html += "<button type=\"submit\" class=\"ladder-primary\">\(strings.html(.recordSignOff))</button>\n</form>\n"
            html += "<div id=\"ladder-result\" class=\"ladder-result\" role=\"status\" aria-live=\"polite\" hidden></div>\n"
            body = html
            let ids = (s?.behaviours ?? []).map(\.id)
            config = [
                "v": .int(1), "kind": .string("shadowing"), "id": .string(item.id), "title": .string(item.title),
                "behaviours": .array(ids.map { .string($0) }),
            ]
            // observer: 64 characters, each at worst a 6-character JSON escape
            worst = #"{"v":1,"s":"","o":"","d":"YYYY-MM-DD"}"#.count + ids.count + 64 * 6
        }
        let page = document(title: item.title, kind: item.kind.rawValue, body: body, config: config)
        return RenderedSCO(item: item, folder: item.id, html: Data(page.utf8), media: media, worstSuspendData: worst)
    }

    /// A module's summary and objectives, shown at the top of its first page; "" when it has
    /// neither.
    func moduleIntro(_ module: Module?) -> String {
        guard let module else { return "" }
        var html = ""
        if let summary = module.summary, !summary.isEmpty {
            html += "<p class=\"ladder-summary\">\(HTML.escape(summary))</p>\n"
        }
        if !module.objectives.isEmpty {
            html += "<div class=\"ladder-objectives\">\n<h3>\(strings.html(.moduleObjectives))</h3>\n<ul>\n"
            html += module.objectives.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n</div>\n"
        }
        return html
    }

    /// An upper bound of the `cmi.suspend_data` a quiz can write (ladder.js `suspendWorstCase`
    /// gives the exact figure): `{"v":1,"q":[…],"r":[…],"a":[…],"t":9999}`, counting the
    /// largest bank indices and the questions with the most options.
    static func worstQuizSuspendData(optionCounts: [Int], draw: Int?, shuffle: Bool) -> Int {
        let n = min(draw ?? optionCounts.count, optionCounts.count)
        let letters = optionCounts.sorted(by: >).prefix(n).reduce(0) { $0 + $1 + 3 }  // "abc", quotes and comma
        var worst = #"{"v":1,"a":[],"t":99999}"#.count + letters
        if draw != nil { worst += #""q":[],"#.count + (optionCounts.count - n..<optionCounts.count).reduce(0) { $0 + String($1).count + 1 } }
        if shuffle { worst += #""r":[],"#.count + letters }
        return worst
    }

    /// Pages often repeat their front-matter title as a leading `# Title`; the page heading
    /// already shows it, so the repeat is dropped. Only the first non-blank line is examined.
    static func droppingTitleHeading(_ markdown: String, title: String) -> String {
        var start = markdown.startIndex
        while start < markdown.endIndex {
            let end = markdown[start...].firstIndex(of: "\n") ?? markdown.endIndex
            let line = markdown[start..<end].trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                guard end < markdown.endIndex else { return markdown }
                start = markdown.index(after: end)
                continue
            }
            guard line.hasPrefix("# "),
                line.dropFirst(2).trimmingCharacters(in: .whitespaces).lowercased() == title.lowercased()
            else { return markdown }
            // Drop the line, keeping its line break's place as the old line-based code did.
            return String(markdown[..<start]) + (end < markdown.endIndex ? String(markdown[markdown.index(after: end)...]) : "")
        }
        return markdown
    }

    /// Where a page's relative image goes in the package (`media/<path with dashes>`) and the
    /// curriculum file it comes from; nil for absolute URLs, which stay as they are.
    static func packagedImage(_ src: String, folder: String) -> (packaged: String, source: String)? {
        guard let source = PagePaths.imageSource(src, folder: folder) else { return nil }
        return ("media/" + source.replacingOccurrences(of: "/", with: "-"), source)
    }

    func section(_ k: Int, title: String, html: String) -> String {
        "<section class=\"ladder-page\" id=\"page-\(k)\" data-page=\"\(k)\" aria-labelledby=\"page-\(k)-title\">\n<h2 id=\"page-\(k)-title\">\(HTML.escape(title))</h2>\n\(html)</section>\n"
    }

    func document(title: String, kind: String, body: String, config: [String: ScriptJSON]) -> String {
        let json = ScriptJSON.object(config).text
        let theme = curriculum.theme
        let hasTheme = theme.stylesheet != nil || theme.accent != nil
        var head = """
            <!DOCTYPE html>
            <html lang="\(HTML.escape(curriculum.language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'">
            <meta name="generator" content="Ladder">
            <title>\(HTML.escape(title)) · \(HTML.escape(courseTitle))</title>
            <link rel="stylesheet" href="../ladder/ladder.css">

            """
        if hasTheme { head += "<link rel=\"stylesheet\" href=\"../ladder/theme.css\">\n" }
        head += "</head>\n"
        var header = "<header class=\"ladder-header\">"
        if let logo = theme.logo {
            header += "<img class=\"ladder-logo\" src=\"../ladder/logo.\(HTML.escape((logo as NSString).pathExtension.lowercased()))\" alt=\"\">"
        }
        header += "<p class=\"ladder-course\">\(HTML.escape(courseTitle))</p></header>\n"
        return head + """
            <body class="ladder" data-kind="\(kind)">
            <a class="ladder-skip" href="#ladder-main">\(strings.html(.skipToContent))</a>
            \(header)<div id="ladder-notice" class="ladder-notice" role="status" hidden></div>
            <main id="ladder-main" tabindex="-1">
            <h1>\(HTML.escape(title))</h1>
            \(body)</main>
            <script type="application/json" id="ladder-sco">\(json)</script>
            <script type="application/json" id="ladder-strings">\(strings.scriptBlockText(for: kind))</script>
            <script src="../ladder/ladder.js"></script>
            </body>
            </html>

            """
    }
}

/// The files every package shares: the runtime, the default theme, the curriculum's theme.
public enum SharedAssets {
    /// Package path → bytes.
    public static func files(for c: Curriculum) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in ["ladder.js", "ladder.css"] { out["ladder/\(name)"] = try joinedAsset(name) }
        var theme = ""
        if let accent = c.theme.accent { theme += ":root { --ladder-accent: \(accent); }\n" }
        if let css = c.theme.stylesheet {
            let url = c.root.appendingPathComponent(css)
            guard let text = String(data: try RenderingError.readThemeFile(url, "stylesheet"), encoding: .utf8) else {
                throw RenderingError(path: url.path, problem: .unreadableThemeFile("stylesheet (it is not UTF-8 text)"))
            }
            theme += text
        }
        if !theme.isEmpty { out["ladder/theme.css"] = Data(theme.utf8) }
        if let logo = c.theme.logo {
            out["ladder/logo.\((logo as NSString).pathExtension.lowercased())"] = try RenderingError.readThemeFile(
                c.root.appendingPathComponent(logo), "logo")
        }
        return out
    }

    /// `ladder.js` or `ladder.css` as a package carries it. Each is kept in parts of a size a
    /// person can read, in a folder of the bundle's Assets (`ladder-js/`, `ladder-css/`) with
    /// files named `NN-what-it-holds.js`, and joined here byte for byte in file-name order. A
    /// part is cut from the whole between two lines, so alone it is not valid JavaScript or
    /// CSS. The runtime's Node tests join the parts the same way (Tests/runtime/runtime-source.mjs).
    package static func joinedAsset(_ name: String) throws -> Data {
        let ext = (name as NSString).pathExtension
        let folder = (name as NSString).deletingPathExtension + "-" + ext
        guard let url = Bundle.module.url(forResource: folder, withExtension: nil, subdirectory: "Assets") else {
            throw RenderingError.missingAsset("\(folder)/")
        }
        let parts: [String]
        do {
            parts = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".\(ext)") }.sorted()
        } catch {
            throw RenderingError(path: "\(folder)/", problem: .missingAsset, underlying: error)
        }
        guard !parts.isEmpty else { throw RenderingError.missingAsset("\(folder)/*.\(ext)") }
        var joined = Data()
        for part in parts { joined += try Data(contentsOf: url.appendingPathComponent(part)) }
        return joined
    }
}
