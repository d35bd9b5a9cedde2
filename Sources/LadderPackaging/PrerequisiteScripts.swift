/// SCORM 1.2 keeps an item's prerequisite script to 200 characters (`adlcp:prerequisites` is
/// an spm 200 string), and a level gate that lists every assessment of the level below does
/// not fit once a level has four or five of them. A list that does not fit is written as a
/// chain: from its front, each required item comes after the one before it, and the item
/// requires the last link. The same items must be passed first (the LMS opens none of them
/// before the one ahead of it is done), so the gate means what the plan says; the plan JSON
/// keeps the whole list.
enum PrerequisiteScripts {
    static let limit = 200

    /// The length of the script `ManifestWriter` writes for these items.
    static func length(_ ids: [String]) -> Int {
        ids.reduce(0) { $0 + ManifestWriter.itemIdentifier($1).count } + 3 * max(0, ids.count - 1)
    }

    /// `prerequisites` (item id → required item ids, all inside the package) with every list
    /// that would overflow made into a chain; `items` is the package's item order.
    ///
    /// Linear in the lists' total length: each identifier's length is taken once and a list's
    /// script length kept as a running total while its front is linked. (Measuring the whole
    /// list again after every link made a 4,000-item track package of a 2,000-module ladder,
    /// whose level gates list 400 assessments each, take minutes.)
    static func fitted(_ prerequisites: [String: [String]], items: [String]) -> [String: [String]] {
        var out = prerequisites
        var lengths: [String: Int] = [:]
        func length(of id: String) -> Int {
            if let n = lengths[id] { return n }
            let n = ManifestWriter.itemIdentifier(id).count
            lengths[id] = n
            return n
        }
        for id in items {
            guard let list = out[id], list.count > 1 else { continue }
            // The script: the identifiers joined by " & " (`length`).
            var total = list.reduce(0) { $0 + length(of: $1) } + 3 * (list.count - 1)
            guard total > limit else { continue }
            // Link the front of the list one item at a time until what remains fits.
            var front = 0
            while list.count - front > 1, total > limit {
                let (before, next) = (list[front], list[front + 1])
                if !(out[next] ?? []).contains(before), !requires(before, next, in: out) {
                    out[next, default: []].append(before)
                }
                total -= length(of: before) + 3
                front += 1
            }
            out[id] = Array(list[front...])
        }
        return out
    }

    /// Whether `item` needs `other` done first, directly or through what it needs.
    static func requires(_ item: String, _ other: String, in prerequisites: [String: [String]]) -> Bool {
        var seen: Set<String> = []
        var stack = [item]
        while let next = stack.popLast() {
            for p in prerequisites[next] ?? [] where seen.insert(p).inserted {
                if p == other { return true }
                stack.append(p)
            }
        }
        return false
    }
}
