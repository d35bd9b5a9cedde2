import Foundation
import TestSupport
import Testing

@testable import LadderCore
@testable import LadderMoodle
@testable import LadderPackaging

/// Builds course backups of the sample and reads them back with libzip and libxml2, checking
/// what Moodle's restore reads (docs/moodle-backup.md).
struct MoodleBackupTests {
    /// A moodle build of `tracks` with course backups: the exports folder, ledger, and the
    /// backups' paths by track.
    static func build(_ root: URL = TestSupport.sample, tracks: [String]) throws -> (URL, Ledger, [String: URL]) {
        let (c, plan) = try TestSupport.loadSample(root)
        let out = try TestSupport.temporaryFolder("ladder-mbz")
        let selected = plan.tracks.filter { tracks.contains($0.id) }
        var request = BuildRequest(tracks: selected, lms: .moodle, mode: .module, outputFolder: out, schemasFolder: nil, jobs: 2)
        request.trackBundles = try MoodleCourseBackups(curriculum: c, plan: plan, tracks: selected)
        let ledger = try PackageBuilder(curriculum: c, plan: plan).build(request)
        var backups: [String: URL] = [:]
        for e in ledger.packages where e.standard == MoodleBackupValidator.standard {
            backups[e.track] = out.appendingPathComponent(c.id).appendingPathComponent(e.path)
        }
        return (out, ledger, backups)
    }

    /// Every entry of a backup, and its XML files parsed.
    struct Backup {
        var data: [String: Data]
        func xml(_ name: String) throws -> XMLNode {
            try XMLDocument(data: try #require(data[name], "\(name) is in the backup"), name: name).root
        }
        init(_ url: URL) throws {
            let reader = try ZipReader(path: url.path)
            data = [:]
            for e in reader.entries { data[e.name] = try reader.read(e) }
        }
    }

    @Test func aTrackBecomesACourseWithASectionPerLevelAndAnActivityPerItem() throws {
        let (c, plan) = try TestSupport.loadSample()
        let (out, ledger, backups) = try Self.build(tracks: ["onboarding-P2"])
        defer { try? FileManager.default.removeItem(at: out) }
        let track = try #require(plan.track("onboarding-P2"))
        let items = plan.items(of: track)
        let url = try #require(backups["onboarding-P2"])
        #expect(url.lastPathComponent == "customer-service-onboarding-P2.mbz")
        let entry = try #require(ledger.packages.first { $0.standard == MoodleBackupValidator.standard })
        #expect(entry.items == items.map(\.id))
        #expect(ledger.packages.filter { $0.track == track.id }.count == items.count + 1, "a package per item and the backup")
        let b = try Backup(url)
        // Every XML file parses.
        for name in b.data.keys where name.hasSuffix(".xml") { _ = try b.xml(name) }

        // moodle_backup.xml as get_backup_information and detect_moodle2_format read it.
        let head = String(decoding: try #require(b.data["moodle_backup.xml"]).prefix(200), as: UTF8.self)
        #expect(head.contains("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") && head.contains("<moodle_backup>") && head.contains("<information>"))
        let info = try #require(try b.xml("moodle_backup.xml").child("information"))
        #expect(info.child("details")?.child("detail")?.child("format")?.text == "moodle2")
        #expect(info.child("original_course_fullname")?.text == "\(c.title): \(track.title)")
        let sections = info.child("contents")?.child("sections")?.children("section") ?? []
        let levels = c.levels.filter { l in items.contains { $0.level == l.id } }.sorted { $0.rank < $1.rank }
        #expect(sections.count == levels.count + 1, "section 0 and a section per level")
        let activities = info.child("contents")?.child("activities")?.children("activity") ?? []
        #expect(activities.count == items.count)
        let settings = (info.child("settings")?.children("setting") ?? []).compactMap { s in s.child("name").map { ($0.text, s.child("value")?.text ?? "") } }
        let named = Dictionary(settings, uniquingKeysWith: { a, _ in a })
        #expect(named["activities"] == "1" && named["competencies"] == "1" && named["users"] == "0")

        // Sections: the level's name and the activities of its items, in plan order.
        var order: [String] = []
        for (n, level) in levels.enumerated() {
            let s = sections[n + 1]
            let dir = try #require(s.child("directory")?.text)
            let section = try b.xml(dir + "/section.xml")
            #expect(section.child("name")?.text == "\(level.id): \(level.title)")
            #expect(section.child("number")?.text == String(n + 1))
            let inLevel = activities.filter { $0.child("sectionid")?.text == s.child("sectionid")?.text }
            #expect(section.child("sequence")?.text == inLevel.compactMap { $0.child("moduleid")?.text }.joined(separator: ","))
            order += inLevel.compactMap { $0.child("title")?.text }
            #expect(inLevel.count == items.filter { $0.level == level.id }.count)
        }
        #expect(order == levels.flatMap { l in items.filter { $0.level == l.id }.map(\.title) })

        // Activities: completion, pass grade, availability, competency.
        var moduleOfItem: [String: String] = [:]
        let ordered = levels.flatMap { l in items.filter { $0.level == l.id } }
        for (a, item) in zip(activities, ordered) { moduleOfItem[item.id] = a.child("moduleid")?.text }
        for (a, item) in zip(activities, ordered) {
            let dir = try #require(a.child("directory")?.text)
            let module = try b.xml(dir + "/module.xml")
            let scorm = try #require(try b.xml(dir + "/scorm.xml").child("scorm"))
            let grade = try #require(try b.xml(dir + "/grades.xml").child("grade_items")?.child("grade_item"))
            #expect(module.child("completion")?.text == "2")
            if item.kind == .assessment {
                #expect(module.child("completionpassgrade")?.text == "1" && module.child("completiongradeitemnumber")?.text == "0")
                #expect(grade.child("gradepass")?.text == "\(try #require(item.masteryScore)).00000")
                #expect(scorm.child("completionstatusrequired")?.text == "$@NULL@$")
            } else {
                #expect(scorm.child("completionstatusrequired")?.text == "4")
                #expect(module.child("completionpassgrade")?.text == "0")
            }
            let prereqs = item.prerequisites.compactMap { moduleOfItem[$0] }
            let availability = module.child("availability")?.text ?? ""
            if prereqs.isEmpty {
                #expect(availability == "$@NULL@$")
            } else {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(availability.utf8)) as? [String: Any])
                #expect(json["op"] as? String == "&")
                let cms = (json["c"] as? [[String: Any]] ?? []).map { "\($0["cm"]!)" }
                #expect(Set(cms) == Set(prereqs), "\(item.id)")
                #expect((json["showc"] as? [Bool])?.count == prereqs.count)
            }
            let competency = try b.xml(dir + "/competencies.xml").child("competencies")?.child("competency")
            #expect(competency?.child("idnumber")?.text == "\(c.id).\(item.level).\(item.responsibility)")
            #expect(competency?.child("frameworkidnumber")?.text == "ladder.\(c.id)")
            let sco = scorm.child("scoes")?.children("sco").filter { $0.child("scormtype")?.text == "sco" } ?? []
            #expect(sco.count == 1, "one SCO per activity")
            let data = sco.first?.child("sco_datas")?.children("sco_data").map { $0.child("name")?.text ?? "" } ?? []
            #expect(data.contains("masteryscore") == (item.masteryScore != nil))
        }
        // Course completion: every activity, all required.
        let criteria = try b.xml("completion.xml").children("course_completion_criteria")
        #expect(Set(criteria.compactMap { $0.child("moduleinstance")?.text }) == Set(moduleOfItem.values))
        // The levels are course competencies that course completion completes.
        let courseComps = try b.xml("course/competencies.xml").child("competencies")?.children("competency") ?? []
        for level in levels {
            #expect(courseComps.contains { $0.child("idnumber")?.text == "\(c.id).\(level.id)" && $0.child("ruleoutcome")?.text == "3" })
        }
        #expect(MoodleBackupValidator.report(path: url.path).issues == [])
    }

    /// files.xml against the stored files, each SHA-1 computed by another implementation
    /// (coreutils' sha1sum), and the package in each activity's package area.
    @Test func everyStoredFileIsThereUnderItsSHA1() throws {
        let (out, _, backups) = try Self.build(tracks: ["onboarding-P1"])
        defer { try? FileManager.default.removeItem(at: out) }
        let b = try Backup(try #require(backups["onboarding-P1"]))
        let rows = try b.xml("files.xml").children("file")
        #expect(!rows.isEmpty)
        let blobs = b.data.keys.filter { $0.hasPrefix("files/") }
        let folder = try TestSupport.temporaryFolder("ladder-sha1")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in blobs { try b.data[name]!.write(to: folder.appendingPathComponent((name as NSString).lastPathComponent)) }
        let output = try Tool.run("/usr/bin/sha1sum", blobs.map { folder.appendingPathComponent(($0 as NSString).lastPathComponent).path }).stdout
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(String(parts[0]) == (String(parts[1]) as NSString).lastPathComponent, "content hash = SHA-1 of the content")
        }
        for row in rows {
            let hash = row.child("contenthash")?.text ?? ""
            let blob = try #require(b.data["files/\(hash.prefix(2))/\(hash)"], "files/\(hash) is stored")
            #expect(String(blob.count) == row.child("filesize")?.text)
        }
        #expect(rows.filter { $0.child("filearea")?.text == "package" }.count == b.data.keys.filter { $0.hasSuffix("/module.xml") }.count)
    }

    @Test func twoBuildsGiveByteIdenticalBackups() throws {
        let (a, _, ba) = try Self.build(tracks: ["onboarding-P1", "promotion-P1-P2"])
        defer { try? FileManager.default.removeItem(at: a) }
        let (b, _, bb) = try Self.build(tracks: ["onboarding-P1", "promotion-P1-P2"])
        defer { try? FileManager.default.removeItem(at: b) }
        #expect(ba.count == 2)
        for (track, url) in ba { #expect(try Data(contentsOf: url) == Data(contentsOf: try #require(bb[track])), "\(track)") }
    }

    /// The XML files are made while libzip writes them, files.xml an activity's rows at a
    /// time: what lands in the backup is each document made whole, and files.xml's pieces in
    /// a row are the whole files.xml.
    @Test func theXMLFilesMadeWhileWrittenAreTheWholeDocuments() throws {
        let (c, plan) = try TestSupport.loadSample()
        let (out, ledger, backups) = try Self.build(tracks: ["onboarding-P1"])
        defer { try? FileManager.default.removeItem(at: out) }
        let track = try #require(plan.track("onboarding-P1"))
        var packages: [String: CourseBackup.Package] = [:]
        for e in ledger.packages where e.track == track.id && e.standard != MoodleBackupValidator.standard {
            let zip = out.appendingPathComponent(c.id).appendingPathComponent(e.path)
            packages[try #require(e.items.first)] = try CourseBackup.Package(zip: zip, fileName: zip.lastPathComponent)
        }
        let url = try #require(backups[track.id])
        let backup = try CourseBackup.make(curriculum: c, plan: plan, track: track, fileName: url.lastPathComponent, packages: packages)
        let written = try Backup(url)
        let documents = backup.documents()
        #expect(documents.count == written.data.keys.filter { !$0.hasPrefix("files/") }.count)
        for d in documents { #expect(try d.bytes() == written.data[d.name], "\(d.name)") }
        let files = try #require(documents.first { $0.name == "files.xml" })
        #expect(files.pieces == backup.activities.count && files.pieces > 1)
        #expect(try files.bytes() == backup.filesXML())
    }

    /// A backup's ledger entry has the source digest of its items as a builder of the whole
    /// curriculum works it out, a module's images included: the backups are written once the
    /// texts are gone (`dropTexts`), and the digest must not lose what the pages held.
    @Test func aBackupsSourceDigestCountsItsModulesImages() throws {
        let folder = try TestSupport.copySample()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let page = folder.appendingPathComponent("modules/inform-customers/02-explaining-clearly.md")
        try IncrementalBuildTests.red.write(to: folder.appendingPathComponent("modules/inform-customers/diagram.png"))
        try (try String(contentsOf: page, encoding: .utf8) + "\n![A diagram](diagram.png)\n").write(to: page, atomically: true, encoding: .utf8)
        let (out, ledger, _) = try Self.build(folder, tracks: ["onboarding-P1"])
        defer { try? FileManager.default.removeItem(at: out) }
        let (c, plan) = try TestSupport.loadSample(folder)
        let entry = try #require(ledger.packages.first { $0.standard == MoodleBackupValidator.standard })
        let items = entry.items.compactMap(plan.item)
        #expect(items.count == entry.items.count && items.contains { $0.responsibility == "inform-customers" && $0.kind == .module })
        let builder = PackageBuilder(curriculum: c, plan: plan)
        #expect(try builder.sourceDigest(items) == entry.sourceDigest)
        // The curriculum without its texts still names the image; one without its levels
        // (nothing to find pages in) gives another digest, so this test can fail.
        #expect(try PackageBuilder(curriculum: c.withoutTexts(), plan: plan).sourceDigest(items) == entry.sourceDigest)
        var bare = c
        bare.levels = []
        #expect(try PackageBuilder(curriculum: bare, plan: plan).sourceDigest(items) != entry.sourceDigest)
    }

    /// A SHA-1 read back from its 40 lowercase hex digits, and nothing else read as one.
    @Test func aDigestIsReadOnlyFromItsOwnHexDigits() throws {
        let d = SHA1.digest(Data("ladder".utf8))
        #expect(SHA1Digest(hex: d.hex) == d)
        #expect(d.hex == SHA1.hex(Data("ladder".utf8)))
        for bad in [d.hex.uppercased(), String(d.hex.dropLast()), d.hex + "0", String(d.hex.dropLast()) + "g", ""] {
            #expect(SHA1Digest(hex: bad) == nil, "\(bad)")
        }
    }

    /// The validator finds a changed stored file, a missing one and SCO rows that no longer
    /// match their package: it can fail.
    @Test func theValidatorFindsDamage() throws {
        let (out, _, backups) = try Self.build(tracks: ["onboarding-P1"])
        defer { try? FileManager.default.removeItem(at: out) }
        let url = try #require(backups["onboarding-P1"])
        let good = try Backup(url)
        func rewrite(_ change: (inout [String: Data]) throws -> Void) throws -> [String] {
            var data = good.data
            try change(&data)
            let copy = out.appendingPathComponent("damaged-\(UUID().uuidString).mbz")
            let zip = try ZipWriter(path: copy.path)
            for name in data.keys.sorted() { try zip.add(name, data: data[name]!, method: .deflate) }
            try zip.close()
            return MoodleBackupValidator.report(path: copy.path).errors.map(\.message)
        }
        #expect(try rewrite { _ in } == [])
        // Every stored file, the packages too, in a fixed order: each change must be found.
        let blob = try #require(good.data.keys.sorted().first { $0.hasPrefix("files/") })
        #expect(try rewrite { $0[blob] = Data("changed".utf8) }.contains { $0.contains("SHA-1") })
        #expect(try rewrite { $0[blob] = nil }.contains { $0.contains("is missing") })
        let scorm = try #require(good.data.keys.sorted().first { $0.hasSuffix("/scorm.xml") })
        #expect(try rewrite { d in
            let text = String(decoding: d[scorm]!, as: UTF8.self).replacingOccurrences(of: "<scormtype>sco</scormtype>", with: "<scormtype>asset</scormtype>")
            d[scorm] = Data(text.utf8)
        }.contains { $0.contains("scormtype") })
        #expect(try rewrite { $0["course/course.xml"] = nil }.contains { $0.contains("course/course.xml is missing") })
        // A content hash kept as 20 bytes must still be the one written: an uppercased one names
        // no stored file (Moodle's file pool is lowercase), so it is missing, and the activity's
        // SCO check does not read it as its lowercase twin either.
        let upper = try rewrite { d in
            let text = String(decoding: d["files.xml"]!, as: UTF8.self)
            let hash = try #require(text.range(of: "(?<=<contenthash>)[0-9a-f]{40}", options: .regularExpression))
            d["files.xml"] = Data(text.replacingCharacters(in: hash, with: text[hash].uppercased()).utf8)
        }
        #expect(upper.contains { $0.hasPrefix("files.xml: ") && $0.hasSuffix(" is missing") && $0 != $0.lowercased() })
        #expect(upper.contains { $0.contains("/scorm.xml: ") }, "\(upper)")
        // moodle_backup.xml and completion.xml, read as streams.
        func edit(_ name: String, _ from: String, _ to: String) -> (inout [String: Data]) -> Void {
            { d in d[name] = Data(String(decoding: d[name]!, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8) }
        }
        #expect(try rewrite(edit("moodle_backup.xml", "original_course_id>", "original_course_ID>")).contains {
            $0 == "moodle_backup.xml: <information> has no <original_course_id>"
        })
        #expect(try rewrite(edit("moodle_backup.xml", "<format>moodle2</format>", "<format>imscc11</format>")).contains {
            $0 == "moodle_backup.xml: details/detail/format is not moodle2"
        })
        #expect(try rewrite(edit("completion.xml", "<moduleinstance>1</moduleinstance>", "<moduleinstance>999</moduleinstance>")).contains {
            $0 == "completion.xml: criterion 1 names course module 999, which is not in the backup"
        })
    }

    /// Titles over Moodle's column sizes and id numbers over 100 characters stop the build
    /// before anything is written, each named with its file and field.
    @Test func aCurriculumMoodleCannotHoldIsRefusedBeforeAnythingIsWritten() throws {
        let root = try TestSupport.copySample()
        defer { removeCopy(root) }
        // Ladder allows 200 characters of title; the course full name adds the track's title.
        let file = root.appendingPathComponent("curriculum.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let long = String(repeating: "a", count: 200)
        let edited = text.replacingOccurrences(of: "title: Customer Service Representative\n", with: "title: \(long)\n")
        #expect(edited != text)
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let (c, plan) = try TestSupport.loadSample(root)
        let tracks = plan.tracks.filter { $0.id == "onboarding-P1" }
        let out = try TestSupport.temporaryFolder("ladder-mbz-refused")
        defer { try? FileManager.default.removeItem(at: out) }
        var request = BuildRequest(tracks: tracks, lms: .moodle, mode: .module, outputFolder: out, schemasFolder: nil, jobs: 1)
        do {
            request.trackBundles = try MoodleCourseBackups(curriculum: c, plan: plan, tracks: tracks)
            _ = try PackageBuilder(curriculum: c, plan: plan).build(request)
            Issue.record("a course full name over 254 characters was accepted")
        } catch let e as MoodleBackupError {
            #expect(e.description.contains("curriculum.yaml: title: the course full name"), "\(e)")
            #expect(e.description.contains("over Moodle's 254"))
            #expect(e.category == .input)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "nothing written")

        // Ladder ids run to 64 characters: three of them make a competency id number over 100.
        var longC = c
        var longPlan = plan
        let longID = String(repeating: "r", count: 64)
        longC.id = String(repeating: "c", count: 64)
        longC.levels[0].responsibilities[0].id = longID
        let old = c.levels[0].responsibilities[0].id
        for i in longPlan.items.indices where longPlan.items[i].responsibility == old { longPlan.items[i].responsibility = longID }
        let problems = MoodleLimits.problems(longC, longPlan, tracks: tracks)
        #expect(problems.contains { $0.hasPrefix("levels/P1.yaml: responsibilities.\(longID): the Moodle id number") && $0.contains("over Moodle's 100") }, "\(problems)")
        #expect(MoodleLimits.idNumberProblem(" a") != nil)
        #expect(MoodleLimits.idNumberProblem("customer-service.P1") == nil)
    }
}
