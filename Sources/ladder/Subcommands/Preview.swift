import ArgumentParser
import Foundation
import LadderPreview
import LadderProgress
import LadderCore

/// `ladder preview PACKAGE.zip|DIR`: a strict local LMS to click through a package.
struct Preview: ParsableCommand {
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
        guard learner.range(of: #"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"#, options: .regularExpression) != nil else {
            throw ValidationError("--learner must be 1-64 characters: letters, digits, '.', '_', '@', '-'")
        }
    }

    func run() throws {
        let source: PackageSource
        do {
            source = try PackageSource(path: package, schemasFolder: schemas.map { URL(fileURLWithPath: $0) })
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let dbPath = db ?? ProgressStore.defaultPath(environment: ProcessInfo.processInfo.environment)
        let configuration = PreviewConfiguration(host: host, port: port, defaultLearner: learner)
        let openBrowser = open
        // The root command is synchronous: the server runs on a task and this thread waits
        // for it. Ctrl-C (SIGINT) or SIGTERM stops it gracefully: requests in progress finish,
        // `serve` returns and with it goes the last reference to the store, which closes it.
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await Self.serve(source, dbPath: dbPath, configuration: configuration, openBrowser: openBrowser)
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        switch outcome.error {
        case nil:
            FileHandle.standardOutput.write(Data("Stopped; every commit is in \(dbPath).\n".utf8))
        case let failure as StoreFailure:
            printError("error: \(failure.underlying)")
            throw ExitCode(1)
        case let error?:
            printError("error: cannot serve on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
    }

    /// The store could not be opened (as opposed to the server failing to start).
    struct StoreFailure: Error {
        var underlying: Error
    }

    /// Opens the store and serves until a signal stops the server. The store and the server
    /// live only in this call, so both are gone when it returns.
    static func serve(_ source: PackageSource, dbPath: String, configuration: PreviewConfiguration, openBrowser: Bool) async throws {
        let store: ProgressStore
        do {
            store = try ProgressStore(path: dbPath)
        } catch {
            throw StoreFailure(underlying: error)
        }
        let server = PreviewServer(package: source, store: store, configuration: configuration)
        let scos = source.manifest.items.filter { $0.launch != nil }.count
        let host = configuration.host
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let learnerID = configuration.defaultLearner
        try await server.run(stopOnSignals: true) { bound in
            let url = "http://\(shownHost):\(bound)/?learner=\(learnerID)"
            // Written straight to the file handle: no buffering between the URL and a reader.
            let text = "Previewing \(source.manifest.title) (\(Plural.count(scos, "SCO"))), progress in \(dbPath)\n"
                + "Open \(url)   (Ctrl-C to stop)\n"
            FileHandle.standardOutput.write(Data(text.utf8))
            if openBrowser { Self.openInBrowser(url) }
        }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Error?
        var error: Error? { lock.withLock { stored } }
        func set(_ e: Error) { lock.withLock { stored = e } }
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
