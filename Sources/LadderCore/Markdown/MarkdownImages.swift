internal import CCmarkGFM

extension Markdown {
    /// The `imageSources` that `render` would list for `markdown`, without writing any HTML:
    /// every image whose source passes the URL policy, in document order, an image inside
    /// another image's description left out (the renderer does not walk into an image).
    /// Loading needs only these, to check that each local image exists.
    package static func imageSources(_ markdown: String) -> [String] {
        var sources: [String] = []
        CmarkTree.parse(markdown) { root in
            guard let iter = cmark_iter_new(root) else { fatalError("cmark_iter_new: out of memory") }
            defer { cmark_iter_free(iter) }
            while true {
                let event = cmark_iter_next(iter)
                if event == CMARK_EVENT_DONE { break }
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter),
                    cmark_node_get_type(node) == CMARK_NODE_IMAGE
                else { continue }
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if URLKind(url) != .refused { sources.append(url) }
                cmark_iter_reset(iter, node, CMARK_EVENT_EXIT)
            }
        }
        return sources
    }
}
