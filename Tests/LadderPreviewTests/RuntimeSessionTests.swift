import Foundation
import Testing

@testable import LadderPreview

/// The server-side SCORM 1.2 API: the same strict rules as Tests/runtime/strict-scorm12-api.mjs.
struct RuntimeSessionTests {
    func running(mastery: Double? = nil, record: RuntimeRecord? = nil) -> RuntimeSession {
        var s = RuntimeSession(context: LaunchContext(learnerID: "ana", learnerName: "Ana", masteryScore: mastery), record: record, attempt: 1)
        #expect(s.call("LMSInitialize", [""]) == "true")
        return s
    }

    @Test func initializeAndFinishFollowTheStateMachine() {
        var s = RuntimeSession(context: LaunchContext(learnerID: "a", learnerName: "A"), record: nil, attempt: 1)
        #expect(s.call("LMSGetValue", ["cmi.core.lesson_status"]) == "")
        #expect(s.lastError == .notInitialized)
        #expect(s.call("LMSInitialize", [nil]) == "false")
        #expect(s.lastError == .invalidArgument)
        #expect(s.call("LMSInitialize", ["x"]) == "false")
        #expect(s.call("LMSInitialize", [""]) == "true")
        #expect(s.call("LMSInitialize", [""]) == "false")
        #expect(s.lastError == .general)
        #expect(s.call("LMSFinish", [""]) == "true")
        #expect(s.call("LMSFinish", [""]) == "false")
        #expect(s.lastError == .general)
        #expect(s.call("LMSSetValue", ["cmi.core.lesson_location", "x"]) == "false")
        #expect(s.lastError == .notInitialized)
        #expect(s.call("LMSGetDiagnostic", [""]) == "LMSSetValue outside a session")
        #expect(s.call("LMSGetErrorString", ["403"]) == "Element is read only")
    }

    @Test(arguments: [
        // element, value, expected error
        ("cmi.core.student_id", "x", CMIError.readOnly),
        ("cmi.core._children", "x", .keyword),
        ("cmi.interactions._count", "1", .keyword),
        ("cmi.core.lesson_status", "done", .incorrectDataType),
        ("cmi.core.lesson_status", "not attempted", .incorrectDataType),
        ("cmi.core.exit", "quit", .incorrectDataType),
        ("cmi.core.score.raw", "101", .incorrectDataType),
        ("cmi.core.score.raw", "abc", .incorrectDataType),
        ("cmi.core.session_time", "1:00:00", .incorrectDataType),
        ("cmi.core.lesson_location", String(repeating: "x", count: 256), .incorrectDataType),
        ("cmi.suspend_data", String(repeating: "x", count: 4097), .incorrectDataType),
        ("cmi.interactions.1.id", "q1", .incorrectDataType),
        ("cmi.interactions.0.time", "25:00:00", .incorrectDataType),
        ("cmi.student_preference.audio", "101", .incorrectDataType),
        ("cmi.core.nonsense", "x", .notImplemented),
        ("cmi.core._version", "x", .invalidArgument),
        ("adl.nav.request", "x", .invalidArgument),
        ("cmi.core.lesson_status._count", "x", .notAnArray),
        ("cmi.core.score.raw", "80", .none),
        ("cmi.core.session_time", "0000:01:02.50", .none),
        ("cmi.suspend_data", String(repeating: "x", count: 4096), .none),
    ])
    func setValueChecksAccessTypesAndLengths(_ element: String, _ value: String, _ code: CMIError) {
        var s = running()
        #expect(s.call("LMSSetValue", [element, value]) == (code == .none ? "true" : "false"))
        #expect(s.lastError == code, "\(element) = \(value.prefix(20))")
        if code != .none { #expect(!s.call("LMSGetDiagnostic", [""]).isEmpty) }
    }

    @Test func readsAnswerWriteOnlyAndKeywordsLikeAnLMS() {
        var s = running(mastery: 80)
        #expect(s.call("LMSGetValue", ["cmi.core.exit"]) == "")
        #expect(s.lastError == .writeOnly)
        #expect(s.call("LMSGetValue", ["cmi.core._children"]).contains("lesson_status"))
        #expect(s.call("LMSGetValue", ["cmi.core.entry"]) == "ab-initio")
        #expect(s.call("LMSGetValue", ["cmi.core.lesson_status"]) == "not attempted")
        #expect(s.call("LMSGetValue", ["cmi.student_data.mastery_score"]) == "80")
        #expect(s.call("LMSGetValue", ["cmi.interactions._count"]) == "0")
        #expect(s.call("LMSGetValue", ["cmi.interactions.0.id"]) == "")
        #expect(s.lastError == .writeOnly)
        #expect(s.call("LMSGetValue", ["cmi.objectives.0.id"]) == "")
        #expect(s.lastError == .invalidArgument)
        #expect(s.call("LMSGetValue", ["cmi.core.score._count"]) == "")
        #expect(s.lastError == .notAnArray)
        #expect(s.call("LMSSetValue", ["cmi.core.lesson_location", nil]) == "false")
        #expect(s.lastError == .incorrectDataType)
    }

    @Test func interactionsAppendInOrderAndResponsesMatchTheirType() {
        var s = running()
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.id", "q1"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.type", "choice"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.student_response", "a,c"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.student_response", "A;C"]) == "false")
        #expect(s.lastError == .incorrectDataType)
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.correct_responses.1.pattern", "a"]) == "false")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.correct_responses.0.pattern", "a,c"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.result", "correct"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.0.latency", "0000:00:12.30"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.interactions.2.id", "q3"]) == "false")
        #expect(s.call("LMSGetValue", ["cmi.interactions._count"]) == "1")
        #expect(s.call("LMSGetValue", ["cmi.interactions.0.correct_responses._count"]) == "1")
        let (result, record) = s.commit("")
        #expect(result == "true")
        #expect(
            record?.interactions == [
                [
                    "id": "q1", "type": "choice", "student_response": "a,c", "correct_responses.0.pattern": "a,c", "result": "correct",
                    "latency": "0000:00:12.30",
                ]
            ])
    }

    @Test func masteryScoreDecidesPassedOrFailed() {
        var s = running(mastery: 80)
        #expect(s.call("LMSSetValue", ["cmi.core.score.raw", "75"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.core.lesson_status", "completed"]) == "true")
        #expect(s.commit("").record?.values["cmi.core.lesson_status"] == "failed")
        #expect(s.call("LMSSetValue", ["cmi.core.score.raw", "80"]) == "true")
        #expect(s.call("LMSSetValue", ["cmi.core.lesson_status", "failed"]) == "true")
        #expect(s.commit("").record?.values["cmi.core.lesson_status"] == "passed")
        #expect(s.call("LMSGetValue", ["cmi.core.lesson_status"]) == "passed")
        // Without a mastery score the SCO's own status stands.
        var t = running()
        _ = t.call("LMSSetValue", ["cmi.core.score.raw", "10"])
        _ = t.call("LMSSetValue", ["cmi.core.lesson_status", "completed"])
        #expect(t.commit("").record?.values["cmi.core.lesson_status"] == "completed")
    }

    @Test func relaunchRestoresLocationSuspendDataAndInteractions() {
        var s = running()
        _ = s.call("LMSSetValue", ["cmi.core.lesson_location", "page-2"])
        _ = s.call("LMSSetValue", ["cmi.suspend_data", "{\"v\":1,\"p\":2}"])
        _ = s.call("LMSSetValue", ["cmi.core.exit", "suspend"])
        _ = s.call("LMSSetValue", ["cmi.core.session_time", "0000:00:30.00"])
        _ = s.call("LMSSetValue", ["cmi.interactions.0.id", "q1"])
        _ = s.call("LMSSetValue", ["cmi.objectives.0.id", "obj-1"])
        let record = s.finish("").record!
        #expect(record.values["cmi.core.total_time"] == "0000:00:30.00")
        #expect(record.values["cmi.core.entry"] == nil, "the LMS's own elements are not stored")

        var again = running(record: record)
        #expect(again.call("LMSGetValue", ["cmi.core.entry"]) == "resume")
        #expect(again.call("LMSGetValue", ["cmi.core.lesson_location"]) == "page-2")
        #expect(again.call("LMSGetValue", ["cmi.suspend_data"]) == "{\"v\":1,\"p\":2}")
        #expect(again.call("LMSGetValue", ["cmi.interactions._count"]) == "1")
        #expect(again.call("LMSGetValue", ["cmi.objectives.0.id"]) == "obj-1")
        _ = again.call("LMSSetValue", ["cmi.core.session_time", "0001:00:00"])
        #expect(again.finish("").record?.values["cmi.core.total_time"] == "0001:00:30.00")
    }

    @Test(arguments: [
        ("ok/index.html", true), ("a%20b.html", true), ("../etc/passwd", false), ("a/../../x", false), ("/etc/passwd", false),
        ("%2e%2e/x", false), ("a%2f..%2f..%2fx", false), ("a\\..\\x", false), ("C:/x", false), ("a//b", false), ("./a", false),
        ("a%00b", false),
    ])
    func requestPathsStayInsideThePackage(_ path: String, _ ok: Bool) {
        #expect((PackageSource.safeRelativePath(path) != nil) == ok, "\(path)")
    }

    @Test func timespansAdd() {
        #expect(addTimespans("0000:00:00.00", "00:00:01.5") == "0000:00:01.50")
        #expect(addTimespans("0001:59:59.99", "00:00:00.01") == "0002:00:00.00")
        #expect(addTimespans("9999:00:00", "9999:00:00") == "9999:59:59.99")
    }
}
