import ArgumentParser
import LadderCore
import LadderCommands

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load and validate a curriculum; print every problem at once.",
        discussion: "Exits 0 when there are only warnings, 1 when there is an error, 66 when the folder does not exist.")

    @Argument(help: "The curriculum folder, e.g. curricula/customer-service.")
    var folder: String

    func run() throws {
        let (c, warnings) = try CommandInputs.curriculum(folder, showsWarnings: true)
        printDiagnostics(warnings)
        let plan = Planner.plan(c)
        let drafts = plan.items.filter(\.draft).count
        var counts = Diagnostics()
        counts.append(contentsOf: warnings)
        print(
            "\(folder): \(c.levels.count) levels, \(c.responsibilities.count) responsibilities, \(c.skills.count) skills, "
                + "\(plan.items.count) items (\(drafts) draft); \(DiagnosticsFailure.summary(counts))")
    }
}
