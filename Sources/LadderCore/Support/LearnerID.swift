import Foundation

/// The learner ids the preview takes (`--learner`, `?learner=`): 1 to 64 letters, digits,
/// '.', '_', '@' or '-', starting with a letter or digit, so an id is safe in a URL, a file
/// name and a log line as it is.
public enum LearnerID {
    /// The rule in words, for messages.
    public static let rule = "1-64 characters: letters, digits, '.', '_', '@', '-'"

    public static func isValid(_ id: String) -> Bool {
        id.range(of: #"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"#, options: .regularExpression) != nil
    }
}
