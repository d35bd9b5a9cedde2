import ArgumentParser
import LadderCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load and validate a curriculum; print every problem at once.",
        discussion: "Exits 0 when there are only warnings, 1 when there is an error.")

    @Argument(help: "The curriculum folder, e.g. curricula/customer-service.")
    var folder: String

    func run() throws {
        let result = CurriculumLoader.load(folder: folder)
        for d in result.diagnostics.sorted { printError(d.description) }
        guard let c = result.curriculum else {
            printError(summary(result.diagnostics))
            throw ExitCode(1)
        }
        let plan = Planner.plan(c)
        let drafts = plan.items.filter(\.draft).count
        print(
            "\(folder): \(c.levels.count) levels, \(c.responsibilities.count) responsibilities, \(c.skills.count) skills, "
                + "\(plan.items.count) items (\(drafts) draft); \(summary(result.diagnostics))")
    }
}
