import Foundation
import Testing

@testable import LadderCore
@testable import LadderRendering
@testable import LadderPackaging
@testable import LadderProgress

/// FIPS 180-4 test vectors, input fed in pieces, a peek mid-stream, and a file digest.
@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256Hasher.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hasher.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256Hasher.hex(Data(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func piecesPeekAndFile() throws {
        let text = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 3000)
        let whole = SHA256Hasher.hex(Data(text.utf8))
        let h = SHA256Hasher()
        var rest = Substring(text)
        var size = 1
        while !rest.isEmpty {
            h.update(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
            size = size * 3 % 997 + 1
            _ = h.peek()  // does not disturb the running digest
        }
        #expect(h.peek() == whole)
        #expect(h.finalize() == whole)
        #expect(h.finalize() == whole)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text.utf8).write(to: url)
        let (hex, bytes) = try SHA256Hasher.file(url.path)
        #expect(hex == whole && bytes == text.utf8.count)
        #expect(throws: FileSystemError(path: url.path + ".missing", action: "read the file", code: ENOENT)) {
            try SHA256Hasher.file(url.path + ".missing")
        }
        // fopen opens a folder; fread then fails, and its errno is the error (was a CocoaError).
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: FileSystemError(path: folder, action: "read the file", code: EISDIR)) { try SHA256Hasher.file(folder) }
    }
}
