import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// The one home for text formats (Support/HTMLText, JSONText, CSVField, Words): each edge case
/// pinned to the exact bytes every page, report and message writes.
struct TextFormatTests {
    @Test func htmlEscapesEachSpecialCharacterOnce() {
        #expect(HTML.escape("plain text, é 名前") == "plain text, é 名前")
        #expect(HTML.escape(#"Tom & "Jerry" <b>'s</b>"#) == "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt;")
        // Already escaped text is escaped again (nothing is decoded): once per writer, not zero.
        #expect(HTML.escape("&amp;") == "&amp;amp;")
        #expect(HTML.escape("a\u{0}b") == "a\u{FFFD}b")
        // A combining mark after `&` makes one Character `&́`; the escape works on bytes.
        #expect(HTML.escape("&\u{301}") == "&amp;\u{301}")
        #expect(HTML.escape("")  == "")
    }

    @Test func htmlWithoutApostropheIsCmarksSet() {
        var out = "<p>"
        HTML.write(#"it's <"x"> & y"#, apostrophe: false, into: &out)
        #expect(out == "<p>it's &lt;&quot;x&quot;&gt; &amp; y")
        var bytes = Array("x".utf8)
        HTML.write("'&", into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x&#39;&amp;")
    }

    @Test func jsonStringsInEachStyle() {
        #expect(JSONText.quote("plain é") == #""plain é""#)
        #expect(JSONText.quote("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(JSONText.quote("\u{8}\u{C}\u{1}\u{1F}") == #""\u0008\u000c\u0001\u001f""#)
        #expect(JSONText.quote("\u{8}\u{C}\u{1}", .encoder) == #""\b\f\u0001""#)
        // Outside HTML, <, >, & and U+2028 are plain characters.
        #expect(JSONText.quote("</script>&\u{2028}") == "\"</script>&\u{2028}\"")
        #expect(JSONText.quote("</script>&\u{2028}\u{2029}", .html) == #""\u003c/script\u003e\u0026\u2028\u2029""#)
        // Other characters whose UTF-8 starts with E2 stay as they are.
        #expect(JSONText.quote("a → b … ", .html) == "\"a → b … \"")
        #expect(JSONText.optional(nil) == "null")
        #expect(JSONText.optional("<", .html) == #""\u003c""#)
        #expect(JSONText.optional(nil as Int?) == "null")
        #expect(JSONText.optional(42) == "42")
    }

    @Test func csvFieldsQuoteAndGuard() {
        #expect(CSVField.escape("plain") == "plain")
        #expect(CSVField.escape("") == "")
        #expect(CSVField.escape("Li, Wei") == "\"Li, Wei\"")
        #expect(CSVField.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVField.escape("=1+2") == "\"'=1+2\"")
        #expect(CSVField.escape("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSVField.escape("-3") == "-3")
        #expect(CSVField.escape("+4.5") == "+4.5")
        #expect(CSVField.escape("-") == "\"'-\"")
        #expect(CSVField.line(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    /// The byte writer the progress CSV uses writes what `escape` returns, field by field.
    @Test(arguments: ["plain", "", "Li, Wei", "say \"hi\"", "two\nlines", "=1+2", "-3", "-", "\tx", "é 名前"])
    func csvByteWriterMatchesEscape(field: String) {
        var out = Array("x,".utf8)
        CSVField.write(field.utf8, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x," + CSVField.escape(field))
    }

    @Test(arguments: [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (-1, "-1 rows")])
    func pluralAgreesWithTheCount(n: Int, text: String) {
        #expect(Plural.count(n, "row") == text)
    }

    @Test func irregularPluralsAndNounsAlone() {
        #expect(Plural.count(0, "try", "tries") == "0 tries")
        #expect(Plural.count(1, "try", "tries") == "1 try")
        #expect(Plural.count(2, "entry", "entries") == "2 entries")
        #expect(Plural.noun(1, "skill") == "skill")
        #expect(Plural.noun(3, "skill") == "skills")
    }

    @Test func plannedMinutes() {
        #expect(Durations.minutes(0) == "0 min")
        #expect(Durations.minutes(59) == "59 min")
        #expect(Durations.minutes(60) == "1 h 0 min")
        #expect(Durations.minutes(60, zeroMinutes: false) == "1 h")
        #expect(Durations.minutes(90) == "1 h 30 min")
        #expect(Durations.minutes(90, zeroMinutes: false) == "1 h 30 min")
        #expect(Durations.minutes(1352) == "22 h 32 min")
    }

    @Test func recordedSecondsShort() {
        #expect(Durations.short(seconds: nil) == "unknown")
        #expect(Durations.short(seconds: 0) == "0m")
        #expect(Durations.short(seconds: 59) == "0m")
        #expect(Durations.short(seconds: 720) == "12m")
        #expect(Durations.short(seconds: 3600) == "1h 0m")
        #expect(Durations.short(seconds: 7500) == "2h 5m")
    }
}
