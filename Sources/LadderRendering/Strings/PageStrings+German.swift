extension PageStrings {
    /// German, addressing the learner as Sie; a no-break space (U+00A0) before `%`.
    static let german: [PageText: CatalogueText] = [
        .skipToContent: .plain("Zum Inhalt springen"),
        .noticePreview: .plain("Vorschaumodus: Es wurde kein Lernmanagementsystem gefunden, daher wird Ihr Fortschritt nicht gespeichert."),
        .noticeRefused: .plain("Vorschaumodus: Das Lernmanagementsystem hat diese Sitzung nicht gestartet, daher wird Ihr Fortschritt nicht gespeichert."),
        .noticeEnded: .plain(
            "Diese Sitzung ist beendet und Ihr Fortschritt wurde gespeichert. Öffnen Sie diese Aktivität erneut in Ihrem Lernmanagementsystem, um fortzufahren."),

        .moduleAbout: .plain("Über diesen Verantwortungsbereich"),
        .moduleDraft: .plain("Entwurf: Die Schulungsinhalte für diesen Verantwortungsbereich sind noch nicht geschrieben."),
        .moduleObjectives: .plain("Nach diesem Modul können Sie"),
        .pagesLabel: .plain("Seiten"),
        .previous: .plain("Zurück"),
        .next: .plain("Weiter"),
        .finish: .plain("Abschließen"),
        .pageProgress: .plain("Seite {page} von {total}"),
        .moduleFinished: .plain("Sie sind fertig. Sie können dieses Fenster jetzt schließen."),

        .quizIntro: .plural(
            one: "{count} Frage. Sie bestehen ab {mastery}\u{00A0}% und können es andernfalls erneut versuchen.",
            other: "{count} Fragen. Sie bestehen ab {mastery}\u{00A0}% und können es andernfalls erneut versuchen."),
        .quizIntroDrawn: .plural(
            one: "{count} Frage, bei jedem Versuch aus einem Pool von {bank} gezogen. Sie bestehen ab {mastery}\u{00A0}% und können es andernfalls erneut versuchen.",
            other:
                "{count} Fragen, bei jedem Versuch aus einem Pool von {bank} gezogen. Sie bestehen ab {mastery}\u{00A0}% und können es andernfalls erneut versuchen."),
        .chooseEvery: .plain("Wählen Sie alle zutreffenden Antworten."),
        .submitAnswers: .plain("Antworten absenden"),
        .tryAgain: .plain("Erneut versuchen"),
        .alreadyPassed: .plain("Sie haben diese Prüfung bereits bestanden."),
        .scorePassed: .plain("Sie haben {score}\u{00A0}% erreicht. Zum Bestehen sind {mastery}\u{00A0}% nötig. Sie haben bestanden."),
        .scoreFailed: .plain(
            "Sie haben {score}\u{00A0}% erreicht. Zum Bestehen sind {mastery}\u{00A0}% nötig. Diesmal haben Sie nicht bestanden. Lesen Sie das Feedback und versuchen Sie es dann erneut."),
        .unanswered: .plural(
            one: "Beantworten Sie vor dem Absenden alle Fragen. Noch nicht beantwortet: Frage {numbers}.",
            other: "Beantworten Sie vor dem Absenden alle Fragen. Noch nicht beantwortet: Fragen {numbers}."),
        .oneAnswerOnly: .plural(
            one: "Wählen Sie bei Frage {numbers} nur eine Antwort.",
            other: "Wählen Sie bei den Fragen {numbers} jeweils nur eine Antwort."),

        .whereAndWho: .plain("Wo und mit wem"),
        .setting: .plain("Ort"),
        .observer: .plain("Beobachter"),
        .timeOnJob: .plain("Zeit am Arbeitsplatz"),
        .firstObserve: .plain("Zuerst beobachten"),
        .evidenceAndSignOff: .plain("Nachweise und Abnahme"),
        .behavioursLegend: .plain("Dann die Arbeit unter Beobachtung ausführen: abzunehmende Verhaltensweisen"),
        .observerName: .plain("Name des Beobachters"),
        .dateObserved: .plain("Datum der Beobachtung"),
        .recordSignOff: .plain("Abnahme erfassen"),
        .signOffComplete: .plural(
            one: "Abnahme erfasst von {observer} am {date}: Die Verhaltensweise wurde beobachtet.",
            other: "Abnahme erfasst von {observer} am {date}: Alle {total} Verhaltensweisen wurden beobachtet."),
        .signOffPartial: .plural(
            one: "Abnahme erfasst von {observer} am {date}: {signed} von {total} Verhaltensweise. Noch zu beobachten: {missing}.",
            other: "Abnahme erfasst von {observer} am {date}: {signed} von {total} Verhaltensweisen. Noch zu beobachten: {missing}."),
        .needObserver: .plain("Geben Sie den Namen des Beobachters ein."),
        .needDate: .plain("Geben Sie das Datum der Beobachtung ein (JJJJ-MM-TT)."),
        .signOffComment: .plural(
            one: "Abgenommen von {observer} am {date}: {signed} von {total} Verhaltensweise",
            other: "Abgenommen von {observer} am {date}: {signed} von {total} Verhaltensweisen"),

        .playerLearner: .plain("Teilnehmer:"),
        .playerExit: .plain("Zurück zum Inhalt"),
        .playerContents: .plain("Inhalt"),
        .playerChoose: .plain("Wählen Sie einen Eintrag aus dem Inhalt, um zu beginnen."),
        .playerFrame: .plain("Lerninhalt"),
        .playerConfirmTitle: .plain("Neuen Versuch starten?"),
        .playerCancel: .plain("Abbrechen"),
        .playerStartNew: .plain("Neuen Versuch starten"),
        .playerConfirmText: .plain("\u{201E}{title}\u{201C} beginnt als Versuch {next} von vorn. Versuch {attempt} ({was}) bleibt unverändert gespeichert."),
        .playerStartAttempt: .plain("Versuch {next} starten"),
        .playerAttempt: .plain("Versuch {attempt}"),
        .playerNewAttempt: .plain("Neuer Versuch"),
        .playerNewAttemptOf: .plain("Neuen Versuch von {title} starten"),
        .playerAttemptStarted: .plain("Versuch {attempt} von \u{201E}{title}\u{201C} hat begonnen; Versuch {previous} bleibt gespeichert."),
        .playerAttemptRefused: .plain("Ein neuer Versuch kann nicht gestartet werden: {reason}"),
        .playerLaunchFailed: .plain("Der Eintrag kann nicht geöffnet werden: {reason}"),
        .playerContentsFailed: .plain("Der Inhalt kann nicht geladen werden: {reason}"),
        .playerCallsLost: .plain("Die letzten Aufrufe des Inhalts wurden nicht gespeichert: {reason}"),
        .statusPassed: .plain("bestanden"),
        .statusCompleted: .plain("abgeschlossen"),
        .statusFailed: .plain("nicht bestanden"),
        .statusIncomplete: .plain("unvollständig"),
        .statusBrowsed: .plain("angesehen"),
        .statusNotAttempted: .plain("nicht begonnen"),
        .statusLocked: .plain("gesperrt"),
    ]
}
