import ArgumentParser
import Foundation
import LadderPreview
import LadderProgress
import LadderCore
import LadderCommands

/// `ladder preview PACKAGE.zip|DIR`: a strict local LMS to click through a package.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a SCORM package in a strict local LMS and record progress.",
        discussion: """
            Validates the package (as 'ladder validate' does), then serves it on 127.0.0.1 with \
            a table of contents, a frame for each SCO and a strict SCORM 1.2 API. Commits are \
            stored per learner and attempt in the progress store. Open http://127.0.0.1:PORT/?learner=ID \
            to try the package as another learner.
            """)

    @Argument(help: "A package: a .zip written by 'ladder build', or an unpacked package folder.")
    var package: String

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Address to bind (default 127.0.0.1: only this machine can connect).")
    var host: String = "127.0.0.1"

    @Option(help: "Learner id used when the URL names none.")
    var learner: String = "learner-1"

    @Option(help: "Progress store (default: $LADDER_DB or .ladder/progress.sqlite).")
    var db: String?

    @Option(help: "Folder with the SCORM 1.2 schemas (scorm12.xsd and scorm12/) for validation.")
    var schemas: String?

    @Flag(help: "Open the player in the default browser.")
    var open = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard LearnerID.isValid(learner) else { throw ValidationError("--learner must be \(LearnerID.rule)") }
    }

    /// Serves until Ctrl-C (SIGINT) or SIGTERM stops the server gracefully: requests in
    /// progress finish, `run` returns and with it goes the last reference to the store, which
    /// closes it.
    func run() async throws {
        try CommandInputs.require(package, "package (a .zip file or a package folder)")
        let source = try PackageSource(path: package, schemasFolder: schemas.map { URL(fileURLWithPath: $0) })
        let dbPath = db ?? ProgressStore.defaultPath(environment: ProcessInfo.processInfo.environment)
        let store = try ProgressStore(path: dbPath)
        let configuration = PreviewConfiguration(host: host, port: port, defaultLearner: learner)
        let server = PreviewServer(package: source, store: store, configuration: configuration)
        let scos = source.manifest.items.filter { $0.launch != nil }.count
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let (learnerID, openBrowser) = (learner, open)
        do {
            try await server.run(stopOnSignals: true) { bound in
                let url = "http://\(shownHost):\(bound)/?learner=\(learnerID)"
                // Written straight to the file handle: no buffering between the URL and a reader.
                let text = "Previewing \(source.manifest.title) (\(Plural.count(scos, "SCO"))), progress in \(dbPath)\n"
                    + "Open \(url)   (Ctrl-C to stop)\n"
                FileHandle.standardOutput.write(Data(text.utf8))
                if openBrowser { Self.openInBrowser(url) }
            }
        } catch {
            throw ServeError(host: host, port: port, underlying: error)
        }
        FileHandle.standardOutput.write(Data("Stopped; every commit is in \(dbPath).\n".utf8))
    }

    /// The server could not start (the port is taken, the address is not this machine's).
    struct ServeError: Error, CustomStringConvertible {
        var host: String
        var port: Int
        var underlying: Error
        var description: String { "cannot serve on \(host):\(port): \(underlying)" }
    }

    static func openInBrowser(_ url: String) {
        let p = Process()
        #if os(macOS)
            p.executableURL = URL(fileURLWithPath: "/usr/bin/open")
        #else
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["xdg-open"]
        #endif
        p.arguments = (p.arguments ?? []) + [url]
        do { try p.run() } catch { printError("warning: cannot open a browser: \(error)") }
    }
}
