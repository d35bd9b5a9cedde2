import Foundation
import Hummingbird
import NIOCore

/// The request context of the preview: Hummingbird's own, plus the port the connection
/// reached (the server's real port, also when it was started on port 0).
struct PreviewContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let localPort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        localPort = source.channel.localAddress?.port
    }
}

/// A host and port as written in a Host header or an origin: `name`, `name:port`,
/// `[v6]` or `[v6]:port`. The host is lowercased, an IPv6 address without its brackets.
struct Authority: Equatable {
    var host: String
    /// nil when none is written (80 for http).
    var port: Int?

    init?(_ text: Substring) {
        var rest = text
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close].lowercased()
            rest = rest[rest.index(after: close)...]
            guard host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            host = rest[..<end].lowercased()
            rest = rest[end...]
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        }
        guard !host.isEmpty else { return nil }
        if rest.isEmpty {
            port = nil
        } else {
            let digits = rest.dropFirst()
            guard rest.first == ":", (1...5).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let p = Int(digits), p <= 65535
            else { return nil }
            port = p
        }
    }

    /// True when this names one of `hosts` on `port` (no port written means 80).
    func names(_ hosts: Set<String>, port: Int?) -> Bool {
        guard let port else { return false }
        return hosts.contains(host) && (self.port ?? 80) == port
    }
}

/// The names this server answers to: 127.0.0.1, localhost, ::1 and the bound host.
func previewHostNames(bound: String) -> Set<String> {
    let bare = bound.hasPrefix("[") && bound.hasSuffix("]") ? String(bound.dropFirst().dropLast()) : bound
    return ["127.0.0.1", "localhost", "::1", bare.lowercased()]
}

/// Outermost: every refusal thrown inside (an `HTTPError`, the router's 404) becomes a
/// plain-text answer, and every response gets the security headers.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PreviewContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = PreviewResponse.text(error.status, error.body ?? error.status.reasonPhrase)
        } catch let error as any HTTPResponseError {
            response = PreviewResponse.text(error.status, error.status.reasonPhrase)
        } catch {
            response = PreviewResponse.text(.internalServerError, "the preview server failed: \(error)")
        }
        for (name, value) in PreviewResponse.securityHeaders { response.headers[name] = value }
        return response
    }
}

/// The Host names this server, on the port the request reached (no DNS rebinding): 400 for
/// a missing, malformed or repeated Host (RFC 9112 §3.2), 421 for another host or port.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = PreviewContext
    let hosts: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The first Host header is the request's authority; any other is still a header here.
        guard request.headers[values: PreviewResponse.field("Host")].isEmpty else {
            throw HTTPError(.badRequest, message: "more than one Host header")
        }
        guard let raw = request.head.authority else { throw HTTPError(.badRequest, message: "no Host header") }
        guard let authority = Authority(Substring(raw)) else { throw HTTPError(.badRequest, message: "the Host header is not host[:port]") }
        guard authority.names(hosts, port: context.localPort) else { throw HTTPError(.misdirectedRequest, message: "unknown host") }
        return try await next(request, context)
    }
}

/// A request that can change something (anything but GET and HEAD) from a browser page
/// must come from this server's own origin: scheme `http`, one of its names and its port,
/// exactly as a browser serializes an origin. Browsers send Origin with every such request;
/// a client that is not a browser (curl, the tests) sends none and is not a page's victim.
struct OriginCheckMiddleware: RouterMiddleware {
    typealias Context = PreviewContext
    let hosts: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get && request.method != .head {
            let origins = request.headers[values: .origin]
            guard origins.count <= 1, origins.allSatisfy({ Self.isOwn($0, hosts: hosts, port: context.localPort) }) else {
                throw HTTPError(.forbidden, message: "cross-origin request refused")
            }
        }
        return try await next(request, context)
    }

    static func isOwn(_ origin: String, hosts: Set<String>, port: Int?) -> Bool {
        let scheme = "http://"
        guard origin.hasPrefix(scheme) else { return false }
        let rest = origin.dropFirst(scheme.count)
        guard !rest.contains(where: { "/?#@".contains($0) }), let authority = Authority(rest) else { return false }
        return authority.names(hosts, port: port)
    }
}

/// Reads the request body before any route sees it, refusing one over the limit (413 with
/// the limit in the message).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = PreviewContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the request body is over the limit of \(limit) bytes")
        }
        return try await next(request, context)
    }
}

/// Responses of the preview, all built the same way.
enum PreviewResponse {
    static func field(_ name: String) -> HTTPFields.Element.Name { HTTPFields.Element.Name(name)! }

    /// Headers on every response: no sniffing, framing only by this origin, scripts only from it.
    static let securityHeaders: [(HTTPFields.Element.Name, String)] = [
        (field("X-Content-Type-Options"), "nosniff"),
        (field("X-Frame-Options"), "SAMEORIGIN"),
        (field("Referrer-Policy"), "no-referrer"),
        (
            field("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
        ),
        (field("Cross-Origin-Opener-Policy"), "same-origin"),
        (field("Cross-Origin-Resource-Policy"), "same-origin"),
        (field("Permissions-Policy"), "camera=(), microphone=(), geolocation=()"),
        (field("Cache-Control"), "no-store"),
    ]

    static func ok(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        ok(Data((message + "\n").utf8), type: "text/plain; charset=utf-8", status: status)
    }

    static func html(_ s: String) -> Response { ok(Data(s.utf8), type: "text/html; charset=utf-8") }

    static func json(_ o: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ok(data, type: "application/json", status: status)
    }

    /// A package file, streamed in chunks from the archive or folder as the client reads it.
    static func file(_ file: PackageFile, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        let body = ResponseBody(contentLength: Int(file.size)) { writer in
            while true {
                let chunk = try file.read(upTo: 64 << 10)
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func mimeType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "xml", "xsd": "application/xml"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "mp4", "m4v": "video/mp4"
        case "webm": "video/webm"
        case "mp3": "audio/mpeg"
        case "ogg", "oga": "audio/ogg"
        case "wav": "audio/wav"
        case "vtt": "text/vtt; charset=utf-8"
        case "pdf": "application/pdf"
        case "woff": "font/woff"
        case "woff2": "font/woff2"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
