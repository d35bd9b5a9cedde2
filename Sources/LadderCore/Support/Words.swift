/// Counts and durations in words, the one copy for every message and report.
package enum Plural {
    /// "0 rows", "1 row", "2 tries": the count and the noun that agrees with it (`plural`
    /// defaults to the noun with an "s").
    package static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + noun(n, singular, plural)
    }

    /// The noun alone, agreeing with `n`: "row" for 1, else the plural.
    package static func noun(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? singular : plural ?? singular + "s"
    }
}

/// Durations in words.
package enum Durations {
    /// Planned minutes: "45 min", "1 h 30 min"; a whole number of hours is "2 h 0 min", or
    /// "2 h" with `zeroMinutes: false` (as SCO pages show it).
    package static func minutes(_ m: Int, zeroMinutes: Bool = true) -> String {
        guard m >= 60 else { return "\(m) min" }
        return m % 60 == 0 && !zeroMinutes ? "\(m / 60) h" : "\(m / 60) h \(m % 60) min"
    }

    /// Recorded seconds, short, as the progress report shows them: "2h 5m", "12m", "0m";
    /// nil (no time recorded) is "unknown".
    package static func short(seconds: Int?) -> String {
        guard let s = seconds else { return "unknown" }
        let h = s / 3600, m = (s % 3600) / 60
        return h > 0 ? "\(h)h \(m)m" : "\(m)m"
    }
}
