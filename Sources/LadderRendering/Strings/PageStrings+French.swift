extension PageStrings {
    /// French, addressing the learner as vous; a no-break space (U+00A0) before `:`, `;`,
    /// `?` and `%` and inside guillemets, as French typography wants.
    static let french: [PageText: CatalogueText] = [
        .skipToContent: .plain("Aller au contenu"),
        .noticePreview: .plain(
            "Mode aperçu\u{00A0}: aucun système de gestion de l’apprentissage n’a été trouvé, votre progression n’est donc pas enregistrée."),
        .noticeRefused: .plain(
            "Mode aperçu\u{00A0}: le système de gestion de l’apprentissage n’a pas démarré cette session, votre progression n’est donc pas enregistrée."),
        .noticeEnded: .plain(
            "Cette session est terminée et votre progression a été enregistrée. Rouvrez cette activité depuis votre système de gestion de l’apprentissage pour continuer."),

        .moduleAbout: .plain("À propos de cette responsabilité"),
        .moduleDraft: .plain("Brouillon\u{00A0}: le contenu de formation de cette responsabilité n’a pas encore été rédigé."),
        .moduleObjectives: .plain("À l’issue de ce module, vous serez capable de"),
        .pagesLabel: .plain("Pages"),
        .previous: .plain("Précédent"),
        .next: .plain("Suivant"),
        .finish: .plain("Terminer"),
        .pageProgress: .plain("Page {page} sur {total}"),
        .moduleFinished: .plain("Vous avez terminé. Vous pouvez fermer cette fenêtre."),

        .quizIntro: .plural(
            one: "{count}\u{00A0}question. Le seuil de réussite est de {mastery}\u{00A0}%\u{00A0}; en cas d’échec, vous pouvez réessayer.",
            other: "{count}\u{00A0}questions. Le seuil de réussite est de {mastery}\u{00A0}%\u{00A0}; en cas d’échec, vous pouvez réessayer."),
        .quizIntroDrawn: .plural(
            one:
                "{count}\u{00A0}question, tirée à chaque tentative d’une banque de {bank}. Le seuil de réussite est de {mastery}\u{00A0}%\u{00A0}; en cas d’échec, vous pouvez réessayer.",
            other:
                "{count}\u{00A0}questions, tirées à chaque tentative d’une banque de {bank}. Le seuil de réussite est de {mastery}\u{00A0}%\u{00A0}; en cas d’échec, vous pouvez réessayer."),
        .chooseEvery: .plain("Cochez toutes les réponses qui conviennent."),
        .submitAnswers: .plain("Valider les réponses"),
        .tryAgain: .plain("Réessayer"),
        .alreadyPassed: .plain("Vous avez déjà réussi cette évaluation."),
        .scorePassed: .plain("Votre score\u{00A0}: {score}\u{00A0}%. Seuil de réussite\u{00A0}: {mastery}\u{00A0}%. Vous avez réussi."),
        .scoreFailed: .plain(
            "Votre score\u{00A0}: {score}\u{00A0}%. Seuil de réussite\u{00A0}: {mastery}\u{00A0}%. Vous n’avez pas réussi cette fois-ci. Lisez les commentaires, puis réessayez."),
        .unanswered: .plural(
            one: "Répondez à toutes les questions avant de valider. Question sans réponse\u{00A0}: {numbers}.",
            other: "Répondez à toutes les questions avant de valider. Questions sans réponse\u{00A0}: {numbers}."),
        .oneAnswerOnly: .plural(
            one: "Choisissez une seule réponse à la question {numbers}.",
            other: "Choisissez une seule réponse aux questions {numbers}."),

        .whereAndWho: .plain("Où et avec qui"),
        .setting: .plain("Lieu"),
        .observer: .plain("Observateur"),
        .timeOnJob: .plain("Temps en situation de travail"),
        .firstObserve: .plain("D’abord, observez"),
        .evidenceAndSignOff: .plain("Preuves et validation"),
        .behavioursLegend: .plain("Ensuite, faites le travail sous observation\u{00A0}: comportements à valider"),
        .observerName: .plain("Nom de l’observateur"),
        .dateObserved: .plain("Date de l’observation"),
        .recordSignOff: .plain("Enregistrer la validation"),
        .signOffComplete: .plural(
            one: "Validation enregistrée par {observer} le {date}\u{00A0}: le comportement a été observé.",
            other: "Validation enregistrée par {observer} le {date}\u{00A0}: les {total}\u{00A0}comportements ont été observés."),
        .signOffPartial: .plural(
            one: "Validation enregistrée par {observer} le {date}\u{00A0}: {signed} sur {total}\u{00A0}comportement. Reste à observer\u{00A0}: {missing}.",
            other: "Validation enregistrée par {observer} le {date}\u{00A0}: {signed} sur {total}\u{00A0}comportements. Reste à observer\u{00A0}: {missing}."),
        .needObserver: .plain("Saisissez le nom de l’observateur."),
        .needDate: .plain("Saisissez la date de l’observation (AAAA-MM-JJ)."),
        .signOffComment: .plural(
            one: "Validé par {observer} le {date}\u{00A0}: {signed} sur {total}\u{00A0}comportement",
            other: "Validé par {observer} le {date}\u{00A0}: {signed} sur {total}\u{00A0}comportements"),

        .playerLearner: .plain("Apprenant\u{00A0}:"),
        .playerExit: .plain("Retour au sommaire"),
        .playerContents: .plain("Sommaire"),
        .playerChoose: .plain("Choisissez un élément du sommaire pour commencer."),
        .playerFrame: .plain("Contenu de formation"),
        .playerConfirmTitle: .plain("Commencer une nouvelle tentative\u{00A0}?"),
        .playerCancel: .plain("Annuler"),
        .playerStartNew: .plain("Commencer une nouvelle tentative"),
        .playerConfirmText: .plain(
            "«\u{00A0}{title}\u{00A0}» recommence depuis le début comme tentative {next}. La tentative {attempt} ({was}) reste enregistrée telle quelle."),
        .playerStartAttempt: .plain("Commencer la tentative {next}"),
        .playerAttempt: .plain("Tentative {attempt}"),
        .playerNewAttempt: .plain("Nouvelle tentative"),
        .playerNewAttemptOf: .plain("Commencer une nouvelle tentative de {title}"),
        .playerAttemptStarted: .plain(
            "La tentative {attempt} de «\u{00A0}{title}\u{00A0}» a commencé\u{00A0}; la tentative {previous} reste enregistrée."),
        .playerAttemptRefused: .plain("Impossible de commencer une nouvelle tentative\u{00A0}: {reason}"),
        .playerLaunchFailed: .plain("Impossible d’ouvrir l’élément\u{00A0}: {reason}"),
        .playerContentsFailed: .plain("Impossible de charger le sommaire\u{00A0}: {reason}"),
        .playerCallsLost: .plain("Les derniers appels du contenu n’ont pas été enregistrés\u{00A0}: {reason}"),
        .statusPassed: .plain("réussi"),
        .statusCompleted: .plain("terminé"),
        .statusFailed: .plain("échoué"),
        .statusIncomplete: .plain("incomplet"),
        .statusBrowsed: .plain("consulté"),
        .statusNotAttempted: .plain("non commencé"),
        .statusLocked: .plain("verrouillé"),
    ]
}
