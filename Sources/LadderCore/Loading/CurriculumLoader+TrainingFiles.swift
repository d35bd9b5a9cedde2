import Foundation

/// Loading the training files a responsibility names: Markdown pages, question banks and
/// shadowing checklists.
extension CurriculumLoader {
    mutating func loadPage(_ relative: String, referencedFrom: SourceLocation) -> Page? {
        let file = display(relative)
        guard exists(relative) else {
            diags.error(referencedFrom, "page '\(relative)' does not exist\(nearMiss(relative))")
            return nil
        }
        guard staysInside(relative, at: referencedFrom),
            let data = SourceFile.read(
                url(relative), limit: limits.markdownFileBytes, what: "a Markdown page",
                hint: "see 'limits' in docs/curriculum-format.md", at: SourceLocation(file: file), into: &diags),
            let text = SourceText.decodeUTF8(data, path: file, into: &diags),
            ControlCharacters.check(text, file: file, into: &diags),
            ControlCharacters.checkReferences(text, file: file, into: &diags)
        else { return nil }
        let fm = FrontMatter.split(text)
        guard let yaml = fm.yaml else {
            diags.error(SourceLocation(file: file, line: 1, column: 1), "missing front matter: start the page with '---', a 'title:' line and '---'")
            return nil
        }
        guard let node = YAMLDocument.parse(text: yaml, displayPath: file, lineOffset: 1, limits: limits, into: &diags) else { return nil }
        var checker = ShapeChecker(file: file, lineOffset: 1, diags: diags)
        checker.check(node, .object(FileKind.pageFrontMatterShape), at: "")
        diags = checker.diags
        let words = Self.wordCount(fm.body)
        let minutes = node[field: "minutes"]?.text.flatMap { Int($0) } ?? max(1, (words + 179) / 180)
        let body = fm.body
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            diags.warning(SourceLocation(file: file, line: fm.bodyLine), "the page has no content")
        }
        // Images are packaged with the module: each must exist beside the page.
        let doc = Markdown.render(body)
        let folder = (relative as NSString).deletingLastPathComponent
        var images: [String] = []
        for src in doc.imageSources where !src.contains(":") && !src.hasPrefix("//") {
            // The renderer's rule for the file it packages (SCORenderer.packagedImage).
            let clean = String(src.split(separator: "#", omittingEmptySubsequences: false)[0].split(separator: "?", omittingEmptySubsequences: false)[0])
            let source = ((folder as NSString).appendingPathComponent(clean) as NSString).standardizingPath
            if !images.contains(source) { images.append(source) }
        }
        for src in doc.imageSources where !src.contains("://") && !src.hasPrefix("//") {
            let path = src.split(separator: "#")[0].split(separator: "?")[0]
            let joined = folder.isEmpty ? String(path) : "\(folder)/\(path)"
            let line = fm.bodyLine + Self.lineIndex(of: "(\(src)", in: body)
            if let problem = RelativePath.problem(String(path)) {
                diags.error(SourceLocation(file: file, line: line, column: 1), "image: \(problem)")
            } else if !exists(joined) {
                diags.error(SourceLocation(file: file, line: line, column: 1), "image '\(src)' does not exist")
            } else {
                _ = staysInside(joined, at: SourceLocation(file: file, line: line, column: 1))
            }
        }
        return Page(path: relative, title: clean(node[field: "title"]?.text), minutes: minutes, markdown: body, images: images)
    }

    /// Words separated by whitespace (`Character.isWhitespace`), for a page's reading time.
    /// An ASCII text is counted on its bytes (the same count; splitting into substrings was
    /// 14 % of `ladder check`'s CPU on the benchmark curriculum); any other goes by Characters.
    static func wordCount(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { b -> Int? in
            var words = 0
            var inWord = false
            for c in b {
                if c >= 0x80 { return nil }
                // Character.isWhitespace for ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
                let space = c == 0x20 || (c >= 0x09 && c <= 0x0D)
                if !space, !inWord { words += 1 }
                inWord = !space
            }
            return words
        }
        if let n = ascii ?? nil { return n }
        return text.split(whereSeparator: \.isWhitespace).count
    }

    static func lineIndex(of needle: String, in text: String) -> Int {
        guard let r = text.range(of: needle) else { return 0 }
        return text[..<r.lowerBound].filter { $0 == "\n" }.count
    }

    mutating func loadAssessment(
        _ relative: String, referencedFrom: SourceLocation, responsibility r: Responsibility, curriculum c: Curriculum
    ) -> Assessment? {
        guard let n = readChecked(relative, kind: .assessment, referencedFrom: referencedFrom) else { return nil }
        let file = display(relative)
        var questions: [Question] = []
        duplicates(n[field: "questions"]?.items ?? [], key: "id", what: "question", file: file)
        for q in n[field: "questions"]?.items ?? [] {
            guard let id = q[field: "id"]?.text, let kind = q[field: "type"]?.text.flatMap(Question.Kind.init(rawValue:)) else {
                continue
            }
            let options = q[field: "options"]?.items.map { o in
                AnswerOption(
                    text: clean(o[field: "text"]?.text), correct: o[field: "correct"]?.text.flatMap(ShapeChecker.bool) ?? false,
                    feedback: clean(o[field: "feedback"]?.text))
            } ?? []
            let at = q.location(in: file)
            let correct = options.filter(\.correct).count
            if options.count >= 2 {
                if correct == 0 {
                    diags.error(at, "question '\(id)' has no correct answer: mark one option 'correct: true'")
                } else if kind != .multiple, correct > 1 {
                    diags.error(at, "question '\(id)' is type '\(kind.rawValue)' but has \(correct) correct options; use type 'multiple' or mark one")
                }
            }
            if options.count > 26 { diags.error(at, "question '\(id)' has \(options.count) options; at most 26 are allowed") }
            if kind == .trueFalse {
                let texts = options.map { $0.text.lowercased() }
                if texts != ["true", "false"] && texts != ["false", "true"] {
                    diags.error(at, "true-false question '\(id)' needs exactly two options, \"True\" and \"False\"")
                }
            }
            if kind == .scenario, q[field: "scenario"] == nil {
                diags.error(at, "scenario question '\(id)' needs a 'scenario' (the situation shown before the prompt)")
            }
            let skills = knownSkills(q[field: "skills"], file: file, curriculum: c)
            questions.append(
                Question(
                    id: id, kind: kind, prompt: clean(q[field: "prompt"]?.text), scenario: q[field: "scenario"]?.text.map(clean),
                    options: options, skills: skills.isEmpty ? r.skills : skills))
        }
        var draw = n[field: "draw"]?.text.flatMap { Int($0) }
        if let d = draw, let node = n[field: "draw"], d > questions.count, !questions.isEmpty {
            diags.error(
                node.location(in: file),
                "'draw: \(d)' asks for more questions than the bank has (\(questions.count)); write more questions or draw at most \(questions.count)")
            draw = nil
        }
        let shown = draw ?? questions.count
        let minutes = n[field: "minutes"]?.text.flatMap { Int($0) } ?? max(1, (shown * 3 + 1) / 2)
        let mastery = n[field: "mastery_score"]?.text.flatMap { Int($0) } ?? 0
        // The pass mark a learner really needs is set by the questions one try shows.
        if let m = n[field: "mastery_score"], (0...100).contains(mastery),
            let effective = MasteryScore.effective(mastery: mastery, questions: shown), MasteryScore.misleads(mastery: mastery, effective: effective)
        {
            diags.warning(m.location(in: file), MasteryScore.message(mastery: mastery, questions: shown, effective: effective))
        }
        return Assessment(
            path: relative, title: clean(n[field: "title"]?.text), masteryScore: mastery,
            minutes: minutes, questions: questions, draw: draw,
            shuffle: n[field: "shuffle"]?.text.flatMap(ShapeChecker.bool) ?? false)
    }

    mutating func loadShadowing(_ relative: String, referencedFrom: SourceLocation) -> ShadowingTask? {
        guard let n = readChecked(relative, kind: .shadowing, referencedFrom: referencedFrom) else { return nil }
        let file = display(relative)
        duplicates(n[field: "behaviours"]?.items ?? [], key: "id", what: "behaviour", file: file)
        return ShadowingTask(
            path: relative, title: clean(n[field: "title"]?.text), setting: clean(n[field: "setting"]?.text),
            observer: clean(n[field: "observer"]?.text), minutes: n[field: "minutes"]?.text.flatMap { Int($0) } ?? 0,
            observe: n[field: "observe"]?.items.compactMap(\.text).map(clean) ?? [],
            behaviours: n[field: "behaviours"]?.items.compactMap { b in
                guard let id = b[field: "id"]?.text else { return nil }
                return Behaviour(id: id, text: clean(b[field: "text"]?.text), evidence: b[field: "evidence"]?.text.map(clean))
            } ?? [],
            evidence: clean(n[field: "evidence"]?.text), signOff: clean(n[field: "sign_off"]?.text))
    }
}
