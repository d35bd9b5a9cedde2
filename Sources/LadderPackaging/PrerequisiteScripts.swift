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
    static func fitted(_ prerequisites: [String: [String]], items: [String]) -> [String: [String]] {
        var out = prerequisites
        for id in items {
            guard var list = out[id], length(list) > limit else { continue }
            // Link the front of the list one item at a time until what remains fits.
            while list.count > 1, length(list) > limit {
                let (before, next) = (list[0], list[1])
                if !(out[next] ?? []).contains(before), !requires(before, next, in: out) {
                    out[next, default: []].append(before)
                }
                list.removeFirst()
            }
            out[id] = list
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
