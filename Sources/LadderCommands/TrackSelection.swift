import LadderCore
/// A `--level`, `--track` or `--explain` value that names nothing.
public enum SelectionError: Error, Equatable, CustomStringConvertible {
    /// `alsoAll`: the command also takes `all` (`ladder build --level all`).
    case unknownLevel(String, levels: [String], alsoAll: Bool)
    case noTrack(kind: Track.Kind?, level: String?)
    case unknownLearner(String, file: String, learners: [String])

    public var description: String {
        switch self {
        case .unknownLevel(let level, let levels, let alsoAll):
            return "unknown level '\(level)'; the levels are \(levels.joined(separator: ", "))\(alsoAll ? " or all" : "")"
        case .noTrack(let kind, let level):
            return "no \(kind.map { "\($0.rawValue) " } ?? "")track leads to \(level ?? "that level") (the first level has no promotion track)"
        case .unknownLearner(let id, let file, let learners):
            return "no learner '\(id)' in \(file); the learners are \(learners.joined(separator: ", "))"
        }
    }
}

/// `--track` and `--level`: which of a plan's tracks a command works on. `nil` means every
/// kind, every level; `ladder build` also spells every level `all`.
public struct TrackSelection: Sendable, Equatable {
    public var kind: Track.Kind?
    public var level: String?
    /// Whether `all` is a level (`ladder build`).
    public var acceptsAll: Bool

    public init(kind: Track.Kind?, level: String?, acceptsAll: Bool = false) {
        self.kind = kind
        self.level = acceptsAll && level == "all" ? nil : level
        self.acceptsAll = acceptsAll
    }

    /// Throws `unknownLevel` when `level` is not one of the curriculum's levels.
    public func checkLevel(in c: Curriculum) throws {
        if let level, c.level(level) == nil {
            throw SelectionError.unknownLevel(level, levels: c.levels.map(\.id), alsoAll: acceptsAll)
        }
    }

    /// The plan's tracks of this kind leading to this level; throws when the level is unknown
    /// or no track matches.
    public func tracks(of plan: Plan, in c: Curriculum) throws -> [Track] {
        try checkLevel(in: c)
        let tracks = plan.tracks.filter { t in (kind == nil || t.kind == kind) && (level == nil || t.level == level) }
        if tracks.isEmpty { throw SelectionError.noTrack(kind: kind, level: level) }
        return tracks
    }

    /// The plan cut to the selected tracks, their items and the levels they come from (what
    /// `ladder plan` shows).
    public func apply(to plan: Plan, in c: Curriculum) throws -> Plan {
        var plan = plan
        plan.tracks = try tracks(of: plan, in: c)
        if kind != nil || level != nil {
            let keep = Set(plan.tracks.flatMap(\.items))
            plan.items = plan.items.filter { keep.contains($0.id) }
            plan.levels = plan.levels.filter { l in plan.items.contains { $0.level == l.id } }
            for i in plan.levels.indices { plan.levels[i].items = plan.levels[i].items.filter(keep.contains) }
        }
        return plan
    }
}
