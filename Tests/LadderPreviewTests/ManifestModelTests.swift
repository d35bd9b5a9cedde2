import Foundation
import LadderCore
import LadderRendering
import LadderPackaging
import LadderProgress
import TestSupport
import Testing

@testable import LadderPreview

/// The preview plays from the manifest model the validator checked: the same launch files,
/// the same xml:base resolution, the same refusals.
struct ManifestModelTests {
    /// Every track of the sample curriculum, built once into a temporary folder.
    static let samplePackages: Result<[String], Error> = Result {
        let result = CurriculumLoader.load(folder: TestSupport.repoRoot.appendingPathComponent("curricula/customer-service").path)
        guard let c = result.curriculum else { throw TestFailure("sample: \(result.diagnostics.sorted)") }
        let plan = Planner.plan(c)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-model-\(UUID().uuidString)")
        let request = BuildRequest(tracks: plan.tracks, lms: .generic, mode: .track, outputFolder: out, schemasFolder: nil, jobs: 2)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request)
        return ledger.packages.map { out.appendingPathComponent(c.id).appendingPathComponent($0.path).path }
    }

    /// A launch URL back to the package path the server will open.
    static func servedPath(_ launch: String) -> String? {
        PackageSource.safeRelativePath(String(launch.prefix { $0 != "?" && $0 != "#" }))
    }

    @Test func previewAndValidatorSeeTheSameLaunchFilesInTheSamplePackages() throws {
        let packages = try Self.samplePackages.get()
        #expect(packages.count >= 2)
        var launches = 0
        for path in packages {
            let (report, model) = try PackageValidator(schemasFolder: nil).read(path: path)
            let checked = try #require(model, "\(path): \(report.issues)")
            let validated = (checked.defaultOrganization?.allItems ?? []).compactMap { entry in
                checked.launch(of: entry.item)?.href.file.map { (entry.item.identifier ?? "", $0.path) }
            }
            let source = try PackageSource(path: path)
            let played = source.manifest.items.compactMap { item in item.launch.map { (item.identifier, Self.servedPath($0) ?? "unsafe: \($0)") } }
            #expect(played.map(\.0) == validated.map(\.0) && played.map(\.1) == validated.map(\.1), "\(path)")
            // What the player would load is the zip entry the validator checked, byte for byte.
            let zip = try PackageContents(zipPath: path)
            for (_, file) in played {
                let served = try #require(try source.data(at: file), "\(path): \(file) not served")
                #expect(served == (try zip.read(file)), "\(path): \(file)")
                launches += 1
            }
        }
        #expect(launches >= 10, "the sample has a launch per module, assessment and shadowing task")
    }

    /// A package folder whose resource sits under xml:base on all three levels, one of them
    /// climbing back with `..`: RFC 3986 resolution gives `course/sco/index.html`; joining the
    /// strings gave `course/v1/../sco/index.html`, which the server refuses.
    static let threeLevels = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="M" xml:base="course/" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
            xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="ORG">
            <organization identifier="ORG"><title>T</title>
              <item identifier="INTRO"><title>Intro</title></item>
              <item identifier="ITEM" identifierref="RES" parameters="lang=en"><title>One</title>
                <adlcp:prerequisites type="aicc_script">INTRO</adlcp:prerequisites>
                <adlcp:masteryscore>75</adlcp:masteryscore>
              </item>
            </organization>
          </organizations>
          <resources xml:base="v1/">
            <resource identifier="RES" type="webcontent" adlcp:scormtype="sco" xml:base="../sco/" href="HREF">
              <file href="HREF"/>
            </resource>
          </resources>
        </manifest>
        """

    static func folder(href: String, files: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-preview-base-\(UUID().uuidString)")
        for f in files {
            let url = dir.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("<!doctype html><title>\(f)</title>".utf8).write(to: url)
        }
        try Data(threeLevels.replacingOccurrences(of: "HREF", with: href).utf8).write(to: dir.appendingPathComponent("imsmanifest.xml"))
        return dir
    }

    @Test func xmlBaseOnThreeLevelsLaunchesTheRightFile() throws {
        let dir = try Self.folder(href: "index.html", files: ["course/sco/index.html", "course/v1/sco/index.html"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try PackageSource(path: dir.path)
        #expect(source.manifest.items.map(\.identifier) == ["INTRO", "ITEM"] && source.manifest.items[0].launch == nil)
        let item = source.manifest.items[1]
        #expect(item.launch == "course/sco/index.html?lang=en")
        #expect(item.masteryScore == 75 && item.prerequisites == "INTRO" && item.isSCO)
        #expect(item.prerequisiteScript == .expression(.item("INTRO")))
        let file = try #require(Self.servedPath(item.launch ?? ""))
        let served = try #require(try source.data(at: file))
        #expect(String(decoding: served, as: UTF8.self).contains("course/sco/index.html"))
    }

    @Test func anHrefThatClimbsOutIsRefusedByThePreviewAsByTheValidator() throws {
        let dir = try Self.folder(href: "../../../outside.html", files: ["course/sco/index.html"])
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try PackageSource(path: dir.path)
            Issue.record("a package whose launch climbs out of it was opened")
        } catch let e as PreviewError {
            #expect(e.description.contains("bad-href: resource href '../../../outside.html' points outside the package"), "\(e.description)")
        }
    }
}
