/// The keys of the page catalogue (`PageStrings`). The raw value is the key the runtime's
/// strings block uses; `scripts` says which pages' scripts read the text (the rest is
/// written into the HTML by Swift).
package enum PageText: String, CaseIterable, Sendable {
    // Every SCO page
    case skipToContent = "page.skip"
    case noticePreview = "notice.preview"
    case noticeRefused = "notice.refused"
    case noticeEnded = "notice.ended"

    // Modules
    case moduleAbout = "module.about"
    case moduleDraft = "module.draft"
    case moduleObjectives = "module.objectives"
    case pagesLabel = "module.pages"
    case previous = "module.previous"
    case next = "module.next"
    case finish = "module.finish"
    /// {page} {total}
    case pageProgress = "module.progress"
    case moduleFinished = "module.finished"

    // Quizzes
    /// Plural on {count}; {mastery}
    case quizIntro = "quiz.intro"
    /// Plural on {count}; {bank} {mastery}
    case quizIntroDrawn = "quiz.introDrawn"
    case chooseEvery = "quiz.chooseEvery"
    case submitAnswers = "quiz.submit"
    case tryAgain = "quiz.retry"
    case alreadyPassed = "quiz.alreadyPassed"
    /// {score} {mastery}
    case scorePassed = "quiz.passed"
    /// {score} {mastery}
    case scoreFailed = "quiz.failed"
    /// Plural on the number of questions; {numbers}
    case unanswered = "quiz.unanswered"
    /// Plural on the number of questions; {numbers}
    case oneAnswerOnly = "quiz.oneAnswerOnly"

    // Shadowing sign-off
    case whereAndWho = "shadowing.where"
    case setting = "shadowing.setting"
    case observer = "shadowing.observer"
    case timeOnJob = "shadowing.time"
    case firstObserve = "shadowing.observe"
    case evidenceAndSignOff = "shadowing.evidence"
    case behavioursLegend = "shadowing.legend"
    case observerName = "shadowing.observerName"
    case dateObserved = "shadowing.date"
    case recordSignOff = "shadowing.submit"
    /// Plural on {total}; {observer} {date}
    case signOffComplete = "shadowing.complete"
    /// Plural on {total}; {observer} {date} {signed} {missing}
    case signOffPartial = "shadowing.partial"
    case needObserver = "shadowing.needObserver"
    case needDate = "shadowing.needDate"
    /// What the LMS keeps in cmi.comments. Plural on {total}; {observer} {date} {signed}
    case signOffComment = "shadowing.comment"

    // The preview player (ladder preview)
    case playerLearner = "player.learner"
    case playerExit = "player.exit"
    case playerContents = "player.contents"
    case playerChoose = "player.choose"
    case playerFrame = "player.frame"
    case playerConfirmTitle = "player.confirmTitle"
    case playerCancel = "player.cancel"
    case playerStartNew = "player.startNew"
    /// {title} {next} {attempt} {was}
    case playerConfirmText = "player.confirmText"
    /// {next}
    case playerStartAttempt = "player.startAttempt"
    /// {attempt}
    case playerAttempt = "player.attempt"
    case playerNewAttempt = "player.newAttempt"
    /// {title}
    case playerNewAttemptOf = "player.newAttemptOf"
    /// {attempt} {title} {previous}
    case playerAttemptStarted = "player.attemptStarted"
    /// {reason}
    case playerAttemptRefused = "player.attemptRefused"
    /// {reason}
    case playerLaunchFailed = "player.launchFailed"
    /// {reason}
    case playerContentsFailed = "player.contentsFailed"
    /// {reason}
    case playerCallsLost = "player.callsLost"
    case statusPassed = "player.status.passed"
    case statusCompleted = "player.status.completed"
    case statusFailed = "player.status.failed"
    case statusIncomplete = "player.status.incomplete"
    case statusBrowsed = "player.status.browsed"
    case statusNotAttempted = "player.status.not attempted"
    case statusLocked = "player.status.locked"

    /// The pages whose script shows the text: "module", "assessment", "shadowing", "player".
    package var scripts: Set<String> {
        switch self {
        case .noticePreview, .noticeRefused, .noticeEnded: ["module", "assessment", "shadowing"]
        case .pageProgress, .moduleFinished: ["module"]
        case .alreadyPassed, .scorePassed, .scoreFailed, .unanswered, .oneAnswerOnly: ["assessment"]
        case .signOffComplete, .signOffPartial, .needObserver, .needDate, .signOffComment: ["shadowing"]
        case .playerConfirmText, .playerStartAttempt, .playerAttempt, .playerNewAttempt, .playerNewAttemptOf, .playerAttemptStarted,
            .playerAttemptRefused, .playerLaunchFailed, .playerContentsFailed, .playerCallsLost, .statusPassed, .statusCompleted,
            .statusFailed, .statusIncomplete, .statusBrowsed, .statusNotAttempted, .statusLocked:
            ["player"]
        default: []
        }
    }
}
