import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

// Every test states the exact HTML expected for a small input: the renderer's output is part of
// the packages we ship, so any change in it should be a deliberate, visible change here.

@Suite("Markdown rendering")
struct MarkdownTests {
    private func html(_ markdown: String, headingOffset: Int = 0, idPrefix: String = "") -> String {
        Markdown.render(markdown, headingOffset: headingOffset, idPrefix: idPrefix).html
    }

    // MARK: - Blocks

    @Test func headingsGetOffsetLevelsAndPrefixedDeduplicatedIDs() {
        let document = Markdown.render("# Opening\n## Opening\n# Opening", headingOffset: 1, idPrefix: "page-1-")
        #expect(
            document.html == """
                <h2 id="page-1-opening">Opening</h2>
                <h3 id="page-1-opening-2">Opening</h3>
                <h2 id="page-1-opening-3">Opening</h2>

                """)
        #expect(
            document.headings == [
                MarkdownHeading(level: 2, text: "Opening", id: "page-1-opening"),
                MarkdownHeading(level: 3, text: "Opening", id: "page-1-opening-2"),
                MarkdownHeading(level: 2, text: "Opening", id: "page-1-opening-3"),
            ])
    }

    @Test func headingLevelsClampToOneThroughSix() {
        #expect(html("##### Five\n###### Six", headingOffset: 2) == "<h6 id=\"five\">Five</h6>\n<h6 id=\"six\">Six</h6>\n")
        #expect(html("## Two", headingOffset: -3) == "<h1 id=\"two\">Two</h1>\n")
    }

    @Test func headingSyntaxEdges() {
        #expect(
            html("# C#\n# Closing ##\n#hashtag\n####### seven\n#") == """
                <h1 id="c">C#</h1>
                <h1 id="closing">Closing</h1>
                <p>#hashtag
                ####### seven</p>
                <h1 id="section"></h1>

                """)
    }

    @Test func headingIDsUseThePlainTextOfFormattedAndNonASCIIHeadings() {
        let document = Markdown.render("## **Bold** `code`, café & 😀 _x_\n## Bold code café x")
        #expect(
            document.html == """
                <h2 id="bold-code-café-x"><strong>Bold</strong> <code>code</code>, café &amp; 😀 <em>x</em></h2>
                <h2 id="bold-code-café-x-2">Bold code café x</h2>

                """)
        #expect(document.headings.map(\.text) == ["Bold code, café & 😀 x", "Bold code café x"])
    }

    @Test func paragraphsKeepSoftBreaksAndSplitOnBlankLines() {
        #expect(html("one\ntwo\n\n\nthree   \n") == "<p>one\ntwo</p>\n<p>three</p>\n")
        #expect(html("") == "")
        #expect(html("\n  \n") == "")
    }

    @Test func hardBreaksFromTwoSpacesOrBackslash() {
        #expect(html("a  \nb\\\nc\nd  ") == "<p>a<br />\nb<br />\nc\nd</p>\n")
        #expect(html("end\\") == "<p>end\\</p>\n")
    }

    @Test func bulletListsAndChangingBulletsStartNewLists() {
        #expect(
            html("- a\n- b\n* c\n+ d") == """
                <ul>
                <li>a</li>
                <li>b</li>
                </ul>
                <ul>
                <li>c</li>
                </ul>
                <ul>
                <li>d</li>
                </ul>

                """)
    }

    @Test func orderedListsWithStartNumbers() {
        #expect(html("1. a\n2. b") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n")
        #expect(html("3) c\n4) d") == "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n")
        // A number other than 1 does not interrupt a paragraph: "2019. " in prose stays prose.
        #expect(html("In\n2019. we grew") == "<p>In\n2019. we grew</p>\n")
    }

    @Test func nestedListsByIndentation() {
        #expect(
            html("- a\n  - b\n    - c\n- d") == """
                <ul>
                <li>a
                <ul>
                <li>b
                <ul>
                <li>c</li>
                </ul>
                </li>
                </ul>
                </li>
                <li>d</li>
                </ul>

                """)
        // CommonMark: under `1. ` a nested item needs three columns; two start a new list.
        #expect(
            html("1. step\n  - detail\n    more\n2. next") == """
                <ol>
                <li>step</li>
                </ol>
                <ul>
                <li>detail
                more</li>
                </ul>
                <ol start="2">
                <li>next</li>
                </ol>

                """)
        // One space is not nesting.
        #expect(html("- a\n - b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
    }

    @Test func multiLineAndLazyListItems() {
        #expect(
            html("- first line\n  second line\nlazy line\n- next") == """
                <ul>
                <li>first line
                second line
                lazy line</li>
                <li>next</li>
                </ul>

                """)
    }

    @Test func blankLinesMakeListsLoose() {
        #expect(
            html("- a\n\n- b\n\n  more b") == """
                <ul>
                <li>
                <p>a</p>
                </li>
                <li>
                <p>b</p>
                <p>more b</p>
                </li>
                </ul>

                """)
    }

    @Test func blockquotesNestAndHoldOtherBlocks() {
        #expect(
            html("> quote\nlazy\n> > inner\n>\n> - item\n> ```\n> <code>\n> ```") == """
                <blockquote>
                <p>quote
                lazy</p>
                <blockquote>
                <p>inner</p>
                </blockquote>
                <ul>
                <li>item</li>
                </ul>
                <pre><code>&lt;code&gt;
                </code></pre>
                </blockquote>

                """)
    }

    @Test func fencedCodeBlocksEscapeAndSanitizeTheLanguage() {
        #expect(
            html("```swift\nlet a = b < c && d\n  'x'\n```") == """
                <pre><code class="language-swift">let a = b &lt; c &amp;&amp; d
                  'x'
                </code></pre>

                """)
        #expect(html("~~~c++ extra\nx\n~~~") == "<pre><code class=\"language-c\">x\n</code></pre>\n")
        #expect(html("```\"><script>\nx\n```") == "<pre><code class=\"language-script\">x\n</code></pre>\n")
        // The fence's indentation is removed from its lines; an unclosed fence runs to the end.
        #expect(html("  ```\n  a\n    b\nc\n\n") == "<pre><code>a\n  b\nc\n\n</code></pre>\n")
    }

    @Test func thematicBreaks() {
        // `---` under a paragraph makes it a setext heading, as in CommonMark.
        #expect(html("---\n***\n_ _ _\ntext\n---\n--") == "<hr />\n<hr />\n<hr />\n<h2 id=\"text\">text</h2>\n<p>--</p>\n")
    }

    @Test func tablesWithAlignmentEscapedPipesAndRaggedRows() {
        #expect(
            html("| L | C | R | N |\n|:--|:-:|--:|---|\n| *a* | `b\\|c` | d \\| e | f |\n| 1 |\n| 1 | 2 | 3 | 4 | 5 |") == """
                <table>
                <thead>
                <tr>
                <th style="text-align:left">L</th>
                <th style="text-align:center">C</th>
                <th style="text-align:right">R</th>
                <th>N</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td style="text-align:left"><em>a</em></td>
                <td style="text-align:center"><code>b|c</code></td>
                <td style="text-align:right">d | e</td>
                <td>f</td>
                </tr>
                <tr>
                <td style="text-align:left">1</td>
                <td style="text-align:center"></td>
                <td style="text-align:right"></td>
                <td></td>
                </tr>
                <tr>
                <td style="text-align:left">1</td>
                <td style="text-align:center">2</td>
                <td style="text-align:right">3</td>
                <td>4</td>
                </tr>
                </tbody>
                </table>

                """)
    }

    @Test func tablesNeedMatchingHeaderAndEndAtBlankLines() {
        #expect(
            html("Intro\na | b\n--|--\n1 | 2\n\nafter") == """
                <p>Intro</p>
                <table>
                <thead>
                <tr>
                <th>a</th>
                <th>b</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td>1</td>
                <td>2</td>
                </tr>
                </tbody>
                </table>
                <p>after</p>

                """)
        // Cell counts differ: not a table.
        #expect(html("a | b\n|---|") == "<p>a | b\n|---|</p>\n")
    }

    // MARK: - Inlines

    @Test func codeSpans() {
        #expect(html("`a*b*` `` x`y `` ` `` ` `<tag>`") == "<p><code>a*b*</code> <code>x`y</code> <code>``</code> <code>&lt;tag&gt;</code></p>\n")
        #expect(html("`a ``b` c``") == "<p><code>a ``b</code> c``</p>\n")
        #expect(html("`unclosed and ``two") == "<p>`unclosed and ``two</p>\n")
    }

    @Test func emphasisStrongAndStrikethrough() {
        #expect(
            html("*em* _em_ **strong** __strong__ ***both*** ~~del~~ **a *b* c**")
                == "<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <em><strong>both</strong></em> <del>del</del> <strong>a <em>b</em> c</strong></p>\n"
        )
    }

    @Test func underscoresInsideWordsStayLiteral() {
        #expect(html("snake_case_name and __init__ and a_b_ and _x_y_") == "<p>snake_case_name and <strong>init</strong> and a_b_ and <em>x_y</em></p>\n")
        #expect(html("2*3*4 and foo*bar*") == "<p>2<em>3</em>4 and foo<em>bar</em></p>\n")
    }

    @Test func unclosedEmphasisIsLeftLiteral() {
        #expect(html("*open and **also and ~~strike and ~one~ and _under") == "<p>*open and **also and ~~strike and <del>one</del> and _under</p>\n")
        #expect(html("***a*") == "<p>**<em>a</em></p>\n")
    }

    @Test func linksWithTitlesAndTheirRelations() {
        let document = Markdown.render(
            "[ext](https://example.com/a?b=1&c=2 \"The title\") [rel](../other.html#part) [mail](mailto:help@example.com) [net](//example.com) [*em* `c`](x.html)"
        )
        #expect(
            document.html
                == "<p><a href=\"https://example.com/a?b=1&amp;c=2\" title=\"The title\" rel=\"noopener noreferrer\" target=\"_blank\">ext</a> <a href=\"../other.html#part\">rel</a> <a href=\"mailto:help@example.com\">mail</a> <a href=\"//example.com\" rel=\"noopener noreferrer\" target=\"_blank\">net</a> <a href=\"x.html\"><em>em</em> <code>c</code></a></p>\n"
        )
        #expect(document.linkTargets == ["https://example.com/a?b=1&c=2", "../other.html#part", "mailto:help@example.com", "//example.com", "x.html"])
    }

    @Test func linksDoNotNestAndUnfinishedLinksStayText() {
        #expect(html("[a [b](c) d](e)") == "<p>[a <a href=\"c\">b</a> d](e)</p>\n")
        #expect(html("[no url] [x](y z) [p](a(b)c)") == "<p>[no url] [x](y z) <a href=\"a(b)c\">p</a></p>\n")
    }

    @Test func imagesAreCollectedInOrder() {
        let document = Markdown.render(
            "![Call flow](images/flow.png \"Flow\") and [![*logo*](img/logo.svg)](https://example.com)\n\n![spaced](<img/my file.png>) ![](é.png)"
        )
        #expect(
            document.html == """
                <p><img src="images/flow.png" alt="Call flow" title="Flow" loading="lazy" /> and <a href="https://example.com" rel="noopener noreferrer" target="_blank"><img src="img/logo.svg" alt="logo" loading="lazy" /></a></p>
                <p><img src="img/my%20file.png" alt="spaced" loading="lazy" /> <img src="%C3%A9.png" alt="" loading="lazy" /></p>

                """)
        #expect(document.imageSources == ["images/flow.png", "img/logo.svg", "img/my file.png", "é.png"])
        #expect(document.linkTargets == ["https://example.com"])
    }

    @Test func imageSrcAttributeIsTheListedSourceEscaped() {
        // Callers rewrite `src="\(escaped source)"` to the packaged path, so this must hold exactly.
        let document = Markdown.render("![a](<a&b'c \"d\".png>) ![b](img/x\\_y.png)")
        #expect(document.imageSources == ["a&b'c \"d\".png", "img/x_y.png"])
        #expect(
            document.html
                == "<p><img src=\"a&amp;b&#x27;c%20%22d%22.png\" alt=\"a\" loading=\"lazy\" /> <img src=\"img/x_y.png\" alt=\"b\" loading=\"lazy\" /></p>\n")
    }

    @Test func autolinks() {
        let document = Markdown.render("<https://example.com/x?a=1&b=2> <help@example.com> <javascript:alert(1)> <not a link>")
        #expect(
            document.html
                == "<p><a href=\"https://example.com/x?a=1&amp;b=2\" rel=\"noopener noreferrer\" target=\"_blank\">https://example.com/x?a=1&amp;b=2</a> <a href=\"mailto:help@example.com\">help@example.com</a> javascript:alert(1) &lt;not a link&gt;</p>\n"
        )
        #expect(document.linkTargets == ["https://example.com/x?a=1&b=2", "mailto:help@example.com"])
    }

    @Test func backslashEscapes() {
        #expect(html("\\*not em\\* \\_x\\_ \\# \\[a\\](b) \\` \\\\ \\a \\é") == "<p>*not em* _x_ # [a](b) ` \\ \\a \\é</p>\n")
        #expect(html("\\# not a heading\n\\- not a list") == "<p># not a heading\n- not a list</p>\n")
    }

    // MARK: - Safety

    @Test func rawHTMLBlocksAreShownAsText() {
        #expect(html("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
        #expect(
            html("<div onclick=\"steal()\">\n<img src=x onerror='alert(1)'>\n</div>")
                == "<p>&lt;div onclick=&quot;steal()&quot;&gt;\n&lt;img src=x onerror='alert(1)'&gt;\n&lt;/div&gt;</p>\n")
    }

    @Test func rawHTMLInlineIsShownAsText() {
        #expect(
            html("Hi <script>alert(1)</script> <b>bold</b> <!-- c --> *<i>x</i>*")
                == "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &lt;!-- c --&gt; <em>&lt;i&gt;x&lt;/i&gt;</em></p>\n")
    }

    @Test func cdataTerminatorsAndQuotesAreEscapedEverywhere() {
        #expect(html("a ]]> b \"q\" 'a'") == "<p>a ]]&gt; b &quot;q&quot; 'a'</p>\n")
        #expect(html("`]]>` ![a \\]\\]> b](x.png \"]]>\")") == "<p><code>]]&gt;</code> <img src=\"x.png\" alt=\"a ]]&gt; b\" title=\"]]&gt;\" loading=\"lazy\" /></p>\n")
    }

    @Test func entitiesAreShownLiterally() {
        // CommonMark resolves entity references; the result is escaped like any text.
        #expect(html("&amp; &copy; &#169; &#x41; AT&T") == "<p>&amp; © © A AT&amp;T</p>\n")
    }

    @Test func quotesInTitlesAndURLsCannotBreakOutOfAttributes() {
        #expect(
            html("[a](<x\" onmouseover=\"alert(1)> \"t\\\" onclick='y'\")")
                == "<p><a href=\"x%22%20onmouseover=%22alert(1)\" title=\"t&quot; onclick='y'\">a</a></p>\n")
        #expect(html("[b](it's.html)") == "<p><a href=\"it&#x27;s.html\">b</a></p>\n")
    }

    @Test func scriptURLsInLinksAreRefusedInAnyDisguise() {
        let inputs = [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1) )",
            "[x](<java\tscript:alert(1)>)",
            "[x](<  javascript:alert(1)>)",
            "[x](<java\u{1}script:alert(1)>)",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](file:///etc/passwd)",
            "[x](javascript\\:alert(1))",
            "[x](JAVASCRIPT:alert(1) \"title\")",
        ]
        for input in inputs {
            let document = Markdown.render(input)
            #expect(document.html == "<p>x</p>\n", "\(input)")
            #expect(document.linkTargets.isEmpty, "\(input)")
        }
    }

    @Test func refusedImagesRenderNothingAndAreNotListed() {
        let document = Markdown.render("a ![x](data:image/png;base64,AAAA) b ![y](JAVASCRIPT:alert(1)) c ![z](file:///x.png)")
        #expect(document.html == "<p>a  b  c </p>\n")
        #expect(document.imageSources.isEmpty)
    }

    @Test func entityObfuscatedSchemesStayInert() {
        // Entities are decoded before the URL policy looks at the scheme, so these are refused.
        #expect(html("[x](&#106;avascript:alert(1))") == "<p>x</p>\n")
        #expect(html("[x](javascript&colon;alert(1))") == "<p>x</p>\n")
    }

    // MARK: - Text handling

    @Test func unicodePassesThroughUnchanged() {
        let text = "😀 👩🏽‍💻 مرحبا بالعالم שלום e\u{301} नमस्ते 🇳🇱"
        #expect(html(text) == "<p>\(text)</p>\n")
        #expect(html("*مرحبا*") == "<p><em>مرحبا</em></p>\n")
    }

    @Test func nulBecomesReplacementAndLineEndingsNormalize() {
        #expect(html("a\u{0}b\r\nc\rd") == "<p>a\u{FFFD}b\nc\nd</p>\n")
        #expect(html("\u{FEFF}# T") == "<h1 id=\"t\">T</h1>\n")
    }

    /// Pinned in a file (__Snapshots__/MarkdownTests/): two renders in one process share its
    /// hash seed, so comparing them with each other could not catch output that varies by run.
    @Test func renderingIsDeterministic() {
        let source = "# A\n\n- *x* [l](u)\n\n| a |\n|---|\n| b |\n\n# A"
        let doc = Markdown.render(source, idPrefix: "p-")
        let lists = "<!-- links \(doc.linkTargets), images \(doc.imageSources), headings \(doc.headings.map { "\($0)" }) -->\n"
        Snapshot.expect(doc.html + lists, named: "rendering-is-deterministic.html")
    }

    @Test func deepNestingRendersWithoutRecursion() {
        let output = html(String(repeating: "> ", count: 5_000) + "x")
        let depth = output.ranges(of: "<blockquote>").count
        #expect(depth == 5_000)  // cmark-gfm and the tree walk are iterative: no cap needed
        #expect(output.hasSuffix("</blockquote>\n"))
    }

    @Test func aMegabyteDocumentRenders() {
        let chunk = """
            ## Step

            Some *emphasis*, **strong**, `code`, a [link](https://example.com "t") and ![i](images/a.png).
            A second line with snake_case & <b>text</b> 😀.

            - one
            - two
              - nested

            > quote

            | a | b |
            |---|--:|
            | 1 | 2 |

            ```swift
            let x = 1
            ```


            """
        let repeats = 1_000_000 / chunk.utf8.count + 1
        let document = Markdown.render(String(repeating: chunk, count: repeats))
        #expect(document.headings.count == repeats)
        #expect(document.headings.last?.id == "step-\(repeats)")
        #expect(document.imageSources.count == repeats)
        #expect(document.linkTargets.count == repeats)
        #expect(document.html.ranges(of: "<li>").count == 3 * repeats)
        #expect(document.html.ranges(of: "<table>").count == repeats)
        #expect(document.html.ranges(of: "&lt;b&gt;").count == repeats)

        // Adversarial inline input must also finish: unmatched brackets, delimiters and backticks.
        let hostile = String(repeating: "[a](b ", count: 20_000) + String(repeating: "*a _b `c ", count: 20_000)
        #expect(Markdown.render(hostile).html.hasPrefix("<p>[a](b [a](b "))
    }
}
