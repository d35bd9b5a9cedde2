import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// Sources that lead out of the curriculum folder through symbolic links are refused at load
/// (so check, plan and build all refuse), at the place that refers to them; links that stay
/// inside are fine. Each test links one file (or folder) of a private copy of the sample.
@Suite("Hostile sources: symbolic links")
struct HostileSourceTests {
    /// A folder outside the curriculum copy (beside it, in the copy's unique parent).
    static func outside(_ root: URL) throws -> URL {
        let dir = root.deletingLastPathComponent().appendingPathComponent("outside", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Replaces a file (or folder) of the copy with a symbolic link to `target`.
    static func link(_ root: URL, _ relative: String, to target: URL) throws {
        let url = root.appendingPathComponent(relative)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
    }

    static let leaves = "leads outside the curriculum folder"

    @Test func themeStylesheetLinkedOutsideIsRefusedAtItsReference() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let secret = try Self.outside(root).appendingPathComponent("passwd")
        try "root:x:0:0:root:/root:/bin/bash\n".write(to: secret, atomically: true, encoding: .utf8)
        try Self.link(root, "theme/theme.css", to: secret)
        let at = try #require(place(of: "theme/theme.css", in: root, "curriculum.yaml"))
        let result = load(root)
        #expect(result.curriculum == nil, "a build must not package the linked file")
        let d = expectDiagnostic(result, in: root, "curriculum.yaml", line: at.line, column: at.column, contains: Self.leaves)
        #expect(d?.message.contains("'theme/theme.css'") == true)
    }

    @Test func logoLinkedOutsideIsRefused() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let png = try Self.outside(root).appendingPathComponent("logo.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: png)
        try Self.link(root, "theme/logo.png", to: png)
        let at = try #require(
            edit(root, "curriculum.yaml", replace: "  stylesheet: theme/theme.css\n", with: "  stylesheet: theme/theme.css\n  logo: theme/logo.png\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, "curriculum.yaml", line: at.line + 1, column: 9, contains: Self.leaves)
    }

    @Test func pageLinkedOutsideIsRefusedAtTheLevelThatListsIt() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/01-opening-the-contact.md"
        let copy = try Self.outside(root).appendingPathComponent("page.md")
        try FileManager.default.copyItem(at: root.appendingPathComponent(page), to: copy)
        try Self.link(root, page, to: copy)
        let at = try #require(place(of: page, in: root, "levels/P1.yaml"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line, column: at.column, contains: Self.leaves)
    }

    @Test func imageLinkedOutsideIsRefusedAtThePageLine() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = "modules/inform-customers/02-explaining-clearly.md"
        let png = try Self.outside(root).appendingPathComponent("shadow.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: png)
        try Self.link(root, "modules/inform-customers/diagram.png", to: png)
        let at = try #require(
            edit(
                root, page, replace: "# Explaining products and services clearly\n",
                with: "# Explaining products and services clearly\n\n![A diagram](diagram.png)\n"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, page, line: at.line + 2, contains: Self.leaves)
    }

    @Test func assessmentLinkedOutsideIsRefused() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let file = "assessments/inform-customers.yaml"
        let copy = try Self.outside(root).appendingPathComponent("a.yaml")
        try FileManager.default.copyItem(at: root.appendingPathComponent(file), to: copy)
        try Self.link(root, file, to: copy)
        let at = try #require(place(of: file, in: root, "levels/P1.yaml"))
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line, column: at.column, contains: Self.leaves)
    }

    @Test func moduleFolderLinkedOutsideIsRefusedForEveryPage() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let folder = try Self.outside(root).appendingPathComponent("inform-customers", isDirectory: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("modules/inform-customers"), to: folder)
        try Self.link(root, "modules/inform-customers", to: folder)
        let result = load(root)
        #expect(result.curriculum == nil)
        for page in ["01-opening-the-contact.md", "02-explaining-clearly.md", "03-working-with-scripts.md"] {
            let at = try #require(place(of: "modules/inform-customers/\(page)", in: root, "levels/P1.yaml"))
            expectDiagnostic(result, in: root, "levels/P1.yaml", line: at.line, column: at.column, contains: Self.leaves)
        }
    }

    @Test func linksThatStayInsideAreFine() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        // A stylesheet kept elsewhere in the folder, and a module folder shared under another name.
        try FileManager.default.moveItem(at: root.appendingPathComponent("theme/theme.css"), to: root.appendingPathComponent("shared.css"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("theme/theme.css").path, withDestinationPath: "../shared.css")
        let modules = root.appendingPathComponent("modules")
        try FileManager.default.moveItem(at: modules.appendingPathComponent("inform-customers"), to: modules.appendingPathComponent("shared-inform"))
        try FileManager.default.createSymbolicLink(atPath: modules.appendingPathComponent("inform-customers").path, withDestinationPath: "shared-inform")
        let result = load(root)
        #expect(result.curriculum != nil)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted.map(\.description))")
    }

    @Test func theCurriculumFolderItselfMayBeALink() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let alias = root.deletingLastPathComponent().appendingPathComponent("linked", isDirectory: true)
        try FileManager.default.createDirectory(at: alias, withIntermediateDirectories: true)
        let linked = alias.appendingPathComponent("customer-service")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: root)
        let result = load(linked)
        #expect(result.curriculum != nil, "\(result.diagnostics.sorted.map(\.description))")
    }

    @Test func aPipeInsteadOfAFileIsRefusedWithoutHanging() throws {
        let root = try copySample()
        defer { removeCopy(root) }
        let page = root.appendingPathComponent("modules/inform-customers/01-opening-the-contact.md")
        try FileManager.default.removeItem(at: page)
        #expect(mkfifo(page.path, 0o644) == 0)
        let result = load(root)
        #expect(result.curriculum == nil)
        expectDiagnostic(
            result, in: root, "modules/inform-customers/01-opening-the-contact.md", line: 0, contains: "not a regular file")
    }
}
