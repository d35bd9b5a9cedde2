/// The YAML file kinds of a curriculum and their shapes (see docs/curriculum-format.md).
public enum FileKind: String, CaseIterable, Sendable {
    case curriculum, level, assessment, shadowing, frameworks

    var shape: Shape {
        switch self {
        case .curriculum: return .object(Self.curriculumShape)
        case .level: return .object(Self.levelShape)
        case .assessment: return .object(Self.assessmentShape)
        case .shadowing: return .object(Self.shadowingShape)
        case .frameworks: return .object(Self.frameworksShape)
        }
    }

    var title: String {
        switch self {
        case .curriculum: return "Ladder curriculum (curriculum.yaml)"
        case .level: return "Ladder level (levels/<LEVEL>.yaml)"
        case .assessment: return "Ladder assessment (assessments/*.yaml)"
        case .shadowing: return "Ladder shadowing task (shadowing/*.yaml)"
        case .frameworks: return "Ladder competency frameworks (frameworks.yaml)"
        }
    }

    /// The JSON Schema document for this kind.
    public var jsonSchema: [String: Any] {
        var s = shape.jsonSchema()
        s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        s["$id"] = "https://ladder.invalid/schema/\(rawValue).json"
        s["title"] = title
        return s
    }

    static let curriculumShape = ObjectShape(
        fields: [
            Field("id", .identifier, required: true, "The curriculum id; should match the folder name."),
            Field("title", .text(maxLength: 200), required: true, "The role's title."),
            Field("summary", .text(), required: true, "What the role does."),
            Field("track", .oneOf(CareerTrack.allCases.map(\.rawValue)), required: true, "professional or management."),
            Field("language", .text(maxLength: 35), "BCP 47 tag of the content; Ladder's page text follows it (de, en, es, fr); default en."),
            Field(
                "occupation_codes",
                .objects([
                    Field("scheme", .text(maxLength: 40), required: true, "SOC, O*NET, ISCO, ESCO, ..."),
                    Field("code", .text(maxLength: 40), required: true, "The code; quote it."),
                    Field("title", .text(maxLength: 200), "The occupation's title in that scheme."),
                ], minItems: 0), "Occupation codes the role maps to."),
            Field("scope_notes", .list(.text(), minItems: 0), "What the role is not."),
            Field(
                "scale",
                .objects([
                    Field("id", .identifier, required: true, "Step id."),
                    Field("name", .text(maxLength: 80), required: true, "Step name."),
                    Field("description", .text(), "What the step means."),
                ], minItems: 2), required: true, "Ordered proficiency steps, lowest first."),
            Field(
                "skills",
                .objects([
                    Field("id", .identifier, required: true, "Skill id, unique."),
                    Field("name", .text(maxLength: 120), required: true, "Skill name."),
                    Field("description", .text(), "What the skill is."),
                ], minItems: 1), required: true, "The skills of the role."),
            Field("levels", .list(.identifier, minItems: 1), required: true, "Level ids, lowest first; each is levels/<id>.yaml."),
            Field(
                "gating", .oneOf(Gating.allCases.map(\.rawValue)),
                "What opens a level above the first: assessments (default: every assessment of the level below passed), last-item (its last module or assessment) or none."),
            Field(
                "theme",
                .object(fields: [
                    Field("stylesheet", .path(extensions: ["css"]), "CSS appended after the default theme."),
                    Field("logo", .path(extensions: ["svg", "png", "jpg", "jpeg", "gif", "webp"]), "Logo shown in page headers."),
                    Field("accent", .text(maxLength: 40), "A CSS colour for links and buttons, e.g. #0b5cad."),
                ]), "How exported pages look."),
            Field(
                "limits",
                .object(fields: [
                    Field(
                        "yaml_file_kib", .integer(min: 1, max: LoaderLimits.ceilingKiB),
                        "The largest YAML file, in KiB; default 2048 (2 MiB). curriculum.yaml itself is always held to the default."),
                    Field(
                        "markdown_file_kib", .integer(min: 1, max: LoaderLimits.ceilingKiB),
                        "The largest Markdown page, in KiB; default 4096 (4 MiB)."),
                ]), "Size limits for the curriculum's files (see docs/curriculum-format.md)."),
        ],
        doc: "The role, the proficiency scale, the skills and the order of levels.")

    static let moduleShape = ObjectShape(fields: [
        Field("title", .text(maxLength: 200), required: true, "The module's title."),
        Field("summary", .text(), "One sentence for catalogues."),
        Field("objectives", .list(.text(), minItems: 0), "What the learner will be able to do."),
        Field("pages", .list(.path(extensions: ["md"]), minItems: 1), required: true, "Markdown pages, in order."),
    ])

    static let levelShape = ObjectShape(
        fields: [
            Field("id", .identifier, required: true, "Level id; equals the file name."),
            Field("rank", .integer(min: 1, max: 99), required: true, "1 for the first level, 2 for the next, ..."),
            Field("title", .text(maxLength: 200), required: true, "Level title."),
            Field("summary", .text(), "One line about the level."),
            Field(
                "guidelines",
                .object(fields: [
                    Field("knowledge", .text(), "Knowledge and application."),
                    Field("problem_solving", .text(), "Complexity and problem solving."),
                    Field("collaboration", .text(), "Collaboration and interaction."),
                    Field("experience", .text(), "Typical experience."),
                ]), "The level's guidelines."),
            Field("skills", .map(.step), required: true, "Skill id -> required step (id, name or 1-based number), or none (0) when the level does not require it."),
            Field(
                "responsibilities",
                .objects([
                    Field("id", .identifier, required: true, "Unique across the curriculum."),
                    Field("statement", .text(), required: true, "What the person does."),
                    Field("skills", .list(.identifier, minItems: 1), required: true, "Skills exercised."),
                    Field("after", .list(.identifier, minItems: 0), "Responsibilities trained first."),
                    Field(
                        "training",
                        .object(fields: [
                            Field("module", .object(moduleShape), "What to learn."),
                            Field("assessment", .path(extensions: ["yaml", "yml"]), "How mastery is checked."),
                            Field("shadowing", .path(extensions: ["yaml", "yml"]), "Observe, then do under observation."),
                        ]), "The training this responsibility calls for."),
                ], minItems: 1), required: true, "The level's responsibilities."),
        ],
        doc: "One level of the ladder.")

    static let assessmentShape = ObjectShape(
        fields: [
            Field("title", .text(maxLength: 200), required: true, "The assessment's title."),
            Field("mastery_score", .integer(min: 0, max: 100), required: true, "Percentage needed to pass."),
            Field("minutes", .integer(min: 1, max: 1000), "Estimated minutes."),
            Field("draw", .integer(min: 1, max: 1000), "Questions drawn from the bank for each try; default all."),
            Field("shuffle", .boolean, "Shuffle each question's options for each try; default false."),
            Field(
                "questions",
                .objects([
                    Field("id", .identifier, required: true, "Unique in this file."),
                    Field("type", .oneOf(Question.Kind.allCases.map(\.rawValue)), required: true, "Question type."),
                    Field("prompt", .text(), required: true, "The question."),
                    Field("scenario", .text(), "The situation (scenario questions)."),
                    Field(
                        "options",
                        .objects([
                            Field("text", .text(), required: true, "The option."),
                            Field("correct", .boolean, "Whether this option is correct."),
                            Field("feedback", .text(), required: true, "Shown when chosen."),
                        ], minItems: 2), required: true, "The options."),
                    Field("skills", .list(.identifier, minItems: 1), "Skills this question checks."),
                ], minItems: 1), required: true, "The questions."),
        ],
        doc: "A scored question bank.")

    static let shadowingShape = ObjectShape(
        fields: [
            Field("title", .text(maxLength: 200), required: true, "The task's title."),
            Field("setting", .text(), required: true, "Where it happens."),
            Field("observer", .text(), required: true, "Who observes and signs off."),
            Field("minutes", .integer(min: 1, max: 100_000), required: true, "Total time on the job."),
            Field("observe", .list(.text(), minItems: 0), "What to watch a colleague do first."),
            Field(
                "behaviours",
                .objects([
                    Field("id", .identifier, required: true, "Unique in this file."),
                    Field("text", .text(), required: true, "The observable behaviour."),
                    Field("evidence", .text(), "What the observer records."),
                ], minItems: 1), required: true, "Behaviours signed off one by one."),
            Field("evidence", .text(), required: true, "What is kept."),
            Field("sign_off", .text(), required: true, "Who signs and when."),
        ],
        doc: "An on-the-job observation checklist signed off by a mentor.")

    static let frameworksShape = ObjectShape(
        fields: [
            Field(
                "frameworks",
                .objects([
                    Field("id", .identifier, required: true, "Framework id."),
                    Field("name", .text(maxLength: 200), required: true, "Framework name."),
                    Field("source", .text(), "Where it comes from."),
                    Field(
                        "statements",
                        .objects([
                            Field("id", .identifier, required: true, "Unique in this framework."),
                            Field("text", .text(), required: true, "The statement."),
                            Field("level", .identifier, "The level it is placed at."),
                            Field("excluded", .text(), "Why it is not placed at a level."),
                            Field("skills", .list(.identifier, minItems: 1), required: true, "Skills it concerns."),
                        ], exactlyOneOf: ["level", "excluded"], minItems: 1), required: true, "The statements."),
                ], minItems: 1), required: true, "Competency frameworks."),
        ],
        doc: "Competency statements from other frameworks, placed at levels.")

    static let pageFrontMatterShape = ObjectShape(fields: [
        Field("title", .text(maxLength: 200), required: true, "The page title."),
        Field("minutes", .integer(min: 1, max: 1000), "Estimated reading minutes."),
    ])
}
