extension PageStrings {
    /// Spanish (neutral, addressing the learner as tú, as most workplace e-learning does).
    static let spanish: [PageText: CatalogueText] = [
        .skipToContent: .plain("Saltar al contenido"),
        .noticePreview: .plain(
            "Modo de vista previa: no se ha encontrado ningún sistema de gestión del aprendizaje, así que tu progreso no se está registrando."),
        .noticeRefused: .plain(
            "Modo de vista previa: el sistema de gestión del aprendizaje no ha iniciado esta sesión, así que tu progreso no se está registrando."),
        .noticeEnded: .plain(
            "Esta sesión ha terminado y tu progreso se ha guardado. Vuelve a abrir esta actividad desde tu sistema de gestión del aprendizaje para continuar."),

        .moduleAbout: .plain("Sobre esta responsabilidad"),
        .moduleDraft: .plain("Borrador: el contenido formativo de esta responsabilidad aún no se ha redactado."),
        .moduleObjectives: .plain("Al terminar este módulo serás capaz de"),
        .pagesLabel: .plain("Páginas"),
        .previous: .plain("Anterior"),
        .next: .plain("Siguiente"),
        .finish: .plain("Finalizar"),
        .pageProgress: .plain("Página {page} de {total}"),
        .moduleFinished: .plain("Has terminado. Ya puedes cerrar esta ventana."),

        .quizIntro: .plural(
            one: "{count} pregunta. Apruebas con un {mastery}\u{00A0}% y, si no lo consigues, puedes volver a intentarlo.",
            other: "{count} preguntas. Apruebas con un {mastery}\u{00A0}% y, si no lo consigues, puedes volver a intentarlo."),
        .quizIntroDrawn: .plural(
            one:
                "{count} pregunta, elegida en cada intento de un banco de {bank}. Apruebas con un {mastery}\u{00A0}% y, si no lo consigues, puedes volver a intentarlo.",
            other:
                "{count} preguntas, elegidas en cada intento de un banco de {bank}. Apruebas con un {mastery}\u{00A0}% y, si no lo consigues, puedes volver a intentarlo."),
        .chooseEvery: .plain("Marca todas las respuestas que correspondan."),
        .submitAnswers: .plain("Enviar respuestas"),
        .tryAgain: .plain("Volver a intentarlo"),
        .alreadyPassed: .plain("Ya has aprobado esta evaluación."),
        .scorePassed: .plain("Has obtenido un {score}\u{00A0}%. Para aprobar se necesita un {mastery}\u{00A0}%. Has aprobado."),
        .scoreFailed: .plain(
            "Has obtenido un {score}\u{00A0}%. Para aprobar se necesita un {mastery}\u{00A0}%. Esta vez no has aprobado. Lee los comentarios y vuelve a intentarlo."),
        .unanswered: .plural(
            one: "Responde a todas las preguntas antes de enviar. Falta por responder la pregunta {numbers}.",
            other: "Responde a todas las preguntas antes de enviar. Faltan por responder las preguntas {numbers}."),
        .oneAnswerOnly: .plural(
            one: "Elige una sola respuesta en la pregunta {numbers}.",
            other: "Elige una sola respuesta en las preguntas {numbers}."),

        .whereAndWho: .plain("Dónde y con quién"),
        .setting: .plain("Lugar"),
        .observer: .plain("Observador"),
        .timeOnJob: .plain("Tiempo en el puesto"),
        .firstObserve: .plain("Primero, observa"),
        .evidenceAndSignOff: .plain("Evidencias y visto bueno"),
        .behavioursLegend: .plain("Después, haz el trabajo mientras te observan: conductas que deben recibir el visto bueno"),
        .observerName: .plain("Nombre del observador"),
        .dateObserved: .plain("Fecha de la observación"),
        .recordSignOff: .plain("Registrar el visto bueno"),
        .signOffComplete: .plural(
            one: "Visto bueno registrado por {observer} el {date}: se ha observado la conducta.",
            other: "Visto bueno registrado por {observer} el {date}: se han observado las {total} conductas."),
        .signOffPartial: .plural(
            one: "Visto bueno registrado por {observer} el {date}: {signed} de {total} conducta. Queda por observar: {missing}.",
            other: "Visto bueno registrado por {observer} el {date}: {signed} de {total} conductas. Queda por observar: {missing}."),
        .needObserver: .plain("Escribe el nombre del observador."),
        .needDate: .plain("Escribe la fecha de la observación (AAAA-MM-DD)."),
        .signOffComment: .plural(
            one: "Visto bueno de {observer} el {date}: {signed} de {total} conducta",
            other: "Visto bueno de {observer} el {date}: {signed} de {total} conductas"),

        .playerLearner: .plain("Participante:"),
        .playerExit: .plain("Volver al índice"),
        .playerContents: .plain("Índice"),
        .playerChoose: .plain("Elige un elemento del índice para empezar."),
        .playerFrame: .plain("Contenido formativo"),
        .playerConfirmTitle: .plain("¿Empezar un nuevo intento?"),
        .playerCancel: .plain("Cancelar"),
        .playerStartNew: .plain("Empezar un nuevo intento"),
        .playerConfirmText: .plain(
            "«{title}» vuelve a empezar desde el principio como intento {next}. El intento {attempt} ({was}) queda registrado tal como está."),
        .playerStartAttempt: .plain("Empezar el intento {next}"),
        .playerAttempt: .plain("Intento {attempt}"),
        .playerNewAttempt: .plain("Nuevo intento"),
        .playerNewAttemptOf: .plain("Empezar un nuevo intento de {title}"),
        .playerAttemptStarted: .plain("Ha empezado el intento {attempt} de «{title}»; el intento {previous} queda registrado."),
        .playerAttemptRefused: .plain("No se puede empezar un nuevo intento: {reason}"),
        .playerLaunchFailed: .plain("No se puede abrir el elemento: {reason}"),
        .playerContentsFailed: .plain("No se puede cargar el índice: {reason}"),
        .playerCallsLost: .plain("Las últimas llamadas del contenido no se han registrado: {reason}"),
        .statusPassed: .plain("aprobado"),
        .statusCompleted: .plain("completado"),
        .statusFailed: .plain("no aprobado"),
        .statusIncomplete: .plain("incompleto"),
        .statusBrowsed: .plain("consultado"),
        .statusNotAttempted: .plain("sin empezar"),
        .statusLocked: .plain("bloqueado"),
    ]
}
