import Foundation

/// Loading `frameworks.yaml`: the external statements the plan maps its items to.
extension CurriculumLoader {
    mutating func loadFrameworks(curriculum c: Curriculum) -> [Framework] {
        guard exists("frameworks.yaml"), let n = readChecked("frameworks.yaml", kind: .frameworks) else { return [] }
        let file = display("frameworks.yaml")
        duplicates(n[field: "frameworks"]?.items ?? [], key: "id", what: "framework", file: file)
        return (n[field: "frameworks"]?.items ?? []).compactMap { f in
            guard let id = f[field: "id"]?.text else { return nil }
            duplicates(f[field: "statements"]?.items ?? [], key: "id", what: "statement", file: file)
            let statements: [Statement] = (f[field: "statements"]?.items ?? []).compactMap { s in
                guard let sid = s[field: "id"]?.text else { return nil }
                let levelNode = s[field: "level"]
                if let ln = levelNode, let l = ln.text, !listedLevels.contains(l) {
                    diags.error(ln.location(in: file), "unknown level '\(l)'\(Suggest.hint(l, listedLevels))")
                }
                return Statement(
                    id: sid, text: clean(s[field: "text"]?.text), level: levelNode?.text, excluded: s[field: "excluded"]?.text.map(clean),
                    skills: knownSkills(s[field: "skills"], file: file, curriculum: c))
            }
            return Framework(id: id, name: clean(f[field: "name"]?.text), source: f[field: "source"]?.text.map(clean), statements: statements)
        }
    }
}
