import Foundation

/// Loading the training files a responsibility names: Markdown pages, question banks and
/// shadowing checklists.
extension CurriculumLoader {
    mutating func loadPage(_ relative: String, referencedFrom: SourceLocation) -> Page? {
        guard exists(relative) else {
            diags.error(referencedFrom, "page '\(relative)' does not exist\(nearMiss(relative))")
            return nil
        }
        guard staysInside(relative, at: referencedFrom) else { return nil }
        let loaded = loadPageFile(relative)
        diags.append(contentsOf: loaded.diagnostics)
        return loaded.page
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
        if TextScan.isASCII(needle), TextScan.isASCII(text) {
            // Bytes are characters here; no canonical equivalents to match.
            guard let offset = TextScan.byteOffset(of: needle, in: text) else { return 0 }
            // Line feeds that are characters of their own (a CR LF pair is one character).
            var count = 0
            var previous: UInt8 = 0
            for byte in text.utf8.prefix(offset) {
                if byte == 0x0A, previous != 0x0D { count += 1 }
                previous = byte
            }
            return count
        }
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
