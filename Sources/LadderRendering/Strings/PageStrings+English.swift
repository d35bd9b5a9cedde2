extension PageStrings {
    /// English: the text Ladder's pages have always shown.
    static let english: [PageText: CatalogueText] = [
        .skipToContent: .plain("Skip to content"),
        .noticePreview: .plain("Preview mode: no learning management system was found, so your progress is not being recorded."),
        .noticeRefused: .plain(
            "Preview mode: the learning management system did not start this session, so your progress is not being recorded."),
        .noticeEnded: .plain(
            "This session has ended and your progress was saved. Reopen this activity from your learning management system to continue."),

        .moduleAbout: .plain("About this responsibility"),
        .moduleDraft: .plain("Draft: the training content for this responsibility has not been written yet."),
        .moduleObjectives: .plain("By the end of this module you will be able to"),
        .pagesLabel: .plain("Pages"),
        .previous: .plain("Previous"),
        .next: .plain("Next"),
        .finish: .plain("Finish"),
        .pageProgress: .plain("Page {page} of {total}"),
        .moduleFinished: .plain("You have finished. You can close this window."),

        .quizIntro: .plural(
            one: "{count} question. You pass at {mastery}% and may try again if you do not.",
            other: "{count} questions. You pass at {mastery}% and may try again if you do not."),
        .quizIntroDrawn: .plural(
            one: "{count} question, drawn from a bank of {bank} for each try. You pass at {mastery}% and may try again if you do not.",
            other: "{count} questions, drawn from a bank of {bank} for each try. You pass at {mastery}% and may try again if you do not."),
        .chooseEvery: .plain("Choose every answer that applies."),
        .submitAnswers: .plain("Submit answers"),
        .tryAgain: .plain("Try again"),
        .alreadyPassed: .plain("You have already passed this assessment."),
        .scorePassed: .plain("You scored {score}%. Passing score is {mastery}%. You passed."),
        .scoreFailed: .plain("You scored {score}%. Passing score is {mastery}%. You did not pass this time. Read the feedback, then try again."),
        .unanswered: .plural(
            one: "Answer every question before submitting. Not answered yet: question {numbers}.",
            other: "Answer every question before submitting. Not answered yet: questions {numbers}."),
        .oneAnswerOnly: .plural(
            one: "Choose one answer only for question {numbers}.",
            other: "Choose one answer only for questions {numbers}."),

        .whereAndWho: .plain("Where and with whom"),
        .setting: .plain("Setting"),
        .observer: .plain("Observer"),
        .timeOnJob: .plain("Time on the job"),
        .firstObserve: .plain("First, observe"),
        .evidenceAndSignOff: .plain("Evidence and sign-off"),
        .behavioursLegend: .plain("Then, do the work while observed: behaviours to sign off"),
        .observerName: .plain("Observer's name"),
        .dateObserved: .plain("Date observed"),
        .recordSignOff: .plain("Record sign-off"),
        .signOffComplete: .plural(
            one: "Sign-off recorded by {observer} on {date}: the behaviour was observed.",
            other: "Sign-off recorded by {observer} on {date}: all {total} behaviours observed."),
        .signOffPartial: .plural(
            one: "Sign-off recorded by {observer} on {date}: {signed} of {total} behaviour. Still to observe: {missing}.",
            other: "Sign-off recorded by {observer} on {date}: {signed} of {total} behaviours. Still to observe: {missing}."),
        .needObserver: .plain("Enter the observer's name."),
        .needDate: .plain("Enter the date observed (YYYY-MM-DD)."),
        .signOffComment: .plural(
            one: "Signed off by {observer} on {date}: {signed} of {total} behaviour",
            other: "Signed off by {observer} on {date}: {signed} of {total} behaviours"),

        .playerLearner: .plain("Learner:"),
        .playerExit: .plain("Exit to contents"),
        .playerContents: .plain("Contents"),
        .playerChoose: .plain("Choose an item from the contents to start."),
        .playerFrame: .plain("Learning content"),
        .playerConfirmTitle: .plain("Start a new attempt?"),
        .playerCancel: .plain("Cancel"),
        .playerStartNew: .plain("Start a new attempt"),
        .playerConfirmText: .plain("\u{201C}{title}\u{201D} starts again from the beginning as attempt {next}. Attempt {attempt} ({was}) stays recorded as it is."),
        .playerStartAttempt: .plain("Start attempt {next}"),
        .playerAttempt: .plain("Attempt {attempt}"),
        .playerNewAttempt: .plain("New attempt"),
        .playerNewAttemptOf: .plain("Start a new attempt of {title}"),
        .playerAttemptStarted: .plain("Attempt {attempt} of \u{201C}{title}\u{201D} has started; attempt {previous} stays recorded."),
        .playerAttemptRefused: .plain("A new attempt cannot be started: {reason}"),
        .playerLaunchFailed: .plain("The item cannot be launched: {reason}"),
        .playerContentsFailed: .plain("The contents cannot be loaded: {reason}"),
        .playerCallsLost: .plain("The last calls of the content were not recorded: {reason}"),
        .statusPassed: .plain("passed"),
        .statusCompleted: .plain("completed"),
        .statusFailed: .plain("failed"),
        .statusIncomplete: .plain("incomplete"),
        .statusBrowsed: .plain("browsed"),
        .statusNotAttempted: .plain("not attempted"),
        .statusLocked: .plain("locked"),
    ]
}
