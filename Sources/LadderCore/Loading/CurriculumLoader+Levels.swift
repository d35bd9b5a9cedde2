import Foundation

/// Loading a level file and the responsibilities it lists (docs/curriculum-format.md, "`levels/<LEVEL>.yaml`").
extension CurriculumLoader {
    mutating func loadLevel(id: String, listedAt index: Int, listNode: Node, curriculum c: Curriculum) -> Level? {
        let relative = "levels/\(id).yaml"
        guard let n = readChecked(relative, kind: .level, referencedFrom: listNode.location(in: display("curriculum.yaml"))) else {
            // Only a file that may be read at all is looked at: inside the folder, within the limit.
            var scratch = Diagnostics()
            let inside = realRoot.map { SourceFile.escapeProblem(path(relative), relative: relative, realRoot: $0) == nil } ?? true
            let data =
                inside && exists(relative)
                ? SourceFile.read(url(relative), limit: limits.yamlFileBytes, what: "", hint: "", at: SourceLocation(file: ""), into: &scratch)
                : nil
            let text = data.map { String(decoding: $0, as: UTF8.self) }
            unloadedLevels.append((id, text.map(Self.responsibilityIDs(inUnparsedLevel:))))
            return nil
        }
        let file = display(relative)
        if let idNode = n[field: "id"], let fileID = idNode.text, fileID != id {
            diags.error(idNode.location(in: file), "level id '\(fileID)' does not match its file name '\(id).yaml'")
        }
        let rank = n[field: "rank"]?.text.flatMap { Int($0) } ?? 0
        if let rankNode = n[field: "rank"], rank > 0, rank != index + 1 {
            diags.error(
                rankNode.location(in: file),
                "levels out of order: '\(id)' has rank \(rank) but is listed \(ordinal(index + 1)) in curriculum.yaml")
        }
        var targets: [SkillTarget] = []
        for (k, v) in n[field: "skills"]?.pairs ?? [] {
            guard let skill = knownSkill(k, file: file, curriculum: c), let raw = v.text else { continue }
            if let step = resolveStep(raw, scale: c.scale) {
                targets.append(SkillTarget(skill: skill, step: step))
            } else {
                let steps = (["0=\(ProficiencyStep.notRequired)"] + c.scale.enumerated().map { "\($0.offset + 1)=\($0.element.id)" })
                    .joined(separator: ", ")
                diags.error(v.location(in: file), "proficiency '\(raw)' for skill '\(skill)' is not on the scale (\(steps))")
            }
        }
        // A skill whose target is written but invalid already has an error; don't also call it missing.
        let written = Set((n[field: "skills"]?.pairs ?? []).compactMap { $0.key.text })
        let unset = n[field: "skills"] == nil ? [] : c.skills.map(\.id).filter { !written.contains($0) }
        let g = n[field: "guidelines"]
        var level = Level(
            id: id, rank: rank, title: n[field: "title"]?.text ?? id, summary: n[field: "summary"]?.text.map(clean),
            guidelines: Guidelines(
                knowledge: g?[field: "knowledge"]?.text.map(clean), problemSolving: g?[field: "problem_solving"]?.text.map(clean),
                collaboration: g?[field: "collaboration"]?.text.map(clean), experience: g?[field: "experience"]?.text.map(clean)),
            targets: targets, responsibilities: [], unsetSkills: unset)
        for r in n[field: "responsibilities"]?.items ?? [] {
            if let resp = loadResponsibility(r, level: id, file: file, curriculum: c) { level.responsibilities.append(resp) }
        }
        if let at = n[field: "skills"] {
            for skill in unset {
                diags.warning(at.location(in: file), Self.unsetTargetMessage(skill, level: level))
            }
        }
        return level
    }

    /// The responsibility ids a level file that could not be parsed appears to define: every
    /// indented `id:` (`- id: x`, `  id: x`, `{id: x, ...}`) followed by a valid id. A guess
    /// from the text, used only to keep a syntax error from also showing up as unknown
    /// responsibilities in the files that refer to it.
    static func responsibilityIDs(inUnparsedLevel text: String) -> Set<String> {
        let pattern = #"(?m)(?:^[ \t]*-[ \t]+|^[ \t]+|[{,][ \t]*)["']?id["']?[ \t]*:[ \t]*["']?([A-Za-z][A-Za-z0-9_-]*)"#
        // A constant pattern: it compiles (a failure here is impossible, not user data).
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return Set(
            regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
                .filter(Shape.isIdentifier))
    }

    /// The skill a node names, when the curriculum defines it; an unknown one is an error at
    /// the node, with the nearest skill id as a hint.
    mutating func knownSkill(_ node: Node, file: String, curriculum c: Curriculum) -> String? {
        guard let skill = node.text else { return nil }
        guard c.skill(skill) != nil else {
            diags.error(node.location(in: file), "unknown skill '\(skill)'\(Suggest.hint(skill, c.skills.map(\.id)))")
            return nil
        }
        return skill
    }

    /// The known skills of a `skills:` list, in order (`knownSkill`).
    mutating func knownSkills(_ list: Node?, file: String, curriculum c: Curriculum) -> [String] {
        var skills: [String] = []
        for node in list?.items ?? [] {
            if let skill = knownSkill(node, file: file, curriculum: c) { skills.append(skill) }
        }
        return skills
    }

    mutating func loadResponsibility(_ n: Node, level: String, file: String, curriculum c: Curriculum) -> Responsibility? {
        guard let id = n[field: "id"]?.text, Shape.isIdentifier(id) else { return nil }
        var r = Responsibility(
            id: id, level: level, statement: clean(n[field: "statement"]?.text), skills: [], after: [],
            module: nil, assessment: nil, shadowing: nil)
        r.skills = knownSkills(n[field: "skills"], file: file, curriculum: c)
        r.after = n[field: "after"]?.items.compactMap(\.text) ?? []
        if let t = n[field: "training"] {
            if let m = t[field: "module"], case .mapping = m {
                var module = Module(
                    title: clean(m[field: "title"]?.text), summary: m[field: "summary"]?.text.map(clean),
                    objectives: m[field: "objectives"]?.items.compactMap(\.text).map(clean) ?? [], pages: [])
                for p in m[field: "pages"]?.items ?? [] {
                    guard let path = p.text, RelativePath.problem(path) == nil else { continue }
                    if let page = loadPage(path, referencedFrom: p.location(in: file)) { module.pages.append(page) }
                }
                r.module = module
            }
            if let a = t[field: "assessment"], let path = a.text, RelativePath.problem(path) == nil {
                r.assessment = loadAssessment(path, referencedFrom: a.location(in: file), responsibility: r, curriculum: c)
            }
            if let s = t[field: "shadowing"], let path = s.text, RelativePath.problem(path) == nil {
                r.shadowing = loadShadowing(path, referencedFrom: s.location(in: file))
            }
        }
        return r
    }
}
