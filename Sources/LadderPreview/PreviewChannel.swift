import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HTTP/1.1 set up as Hummingbird's `HTTP1Channel` does, with `RequestTargetHandler` placed
/// before the conversion to HTTP types: that conversion keeps only the path of an
/// absolute-form target (`POST http://evil.example/api/call`), so the host it names would
/// never reach the router's host check.
struct PreviewHTTP1Channel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // As HTTP1Channel: no pipelining helper (NIOAsyncChannel serialises requests), errors
            // answered by Hummingbird, headers validated by the HTTP types.
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false)
            try channel.pipeline.syncOperations.addHandler(RequestTargetHandler())
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            // Lets a graceful shutdown finish the request in progress before closing.
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// Reads the request target as the client sent it (RFC 9112 §3.2). The origin form
/// (`/path?query`) passes. The absolute form (`http://host:port/path`) is rewritten to the
/// origin form, and its authority becomes the request's host (§3.2.2: the server ignores the
/// Host header then), so the host check judges the host the client named; further Host
/// headers stay for that check to refuse. Any other form (authority, asterisk, another
/// scheme) is a malformed request: Hummingbird answers 400 and closes the connection.
final class RequestTargetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// The body and end of a refused request are dropped.
    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            refusing = false
            if head.uri.hasPrefix("/") { return context.fireChannelRead(data) }
            guard let target = Self.absoluteTarget(head.uri) else {
                refusing = true
                return context.fireErrorCaught(HTTPParserError.invalidURL)
            }
            head.uri = target.path
            var headers = HTTPHeaders()
            var replaced = false
            for (name, value) in head.headers {
                let isHost = name.lowercased() == "host"
                headers.add(name: name, value: isHost && !replaced ? target.authority : value)
                if isHost { replaced = true }
            }
            if !replaced { headers.add(name: "Host", value: target.authority) }
            head.headers = headers
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body, .end:
            if !refusing { context.fireChannelRead(data) }
        }
    }

    /// `http://authority[/path][?query]` split into the authority and the origin-form target;
    /// nil for anything else (another scheme, user info, an empty authority, a fragment).
    static func absoluteTarget(_ uri: String) -> (authority: String, path: String)? {
        let scheme = "http://"
        guard uri.count > scheme.count, uri.prefix(scheme.count).lowercased() == scheme else { return nil }
        let rest = uri.dropFirst(scheme.count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<end]
        guard !authority.isEmpty, !authority.contains("@"), !rest.contains("#") else { return nil }
        let tail = rest[end...]
        return (String(authority), tail.hasPrefix("/") ? String(tail) : "/" + tail)
    }
}
