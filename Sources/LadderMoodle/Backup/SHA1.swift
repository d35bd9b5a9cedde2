import CLibCrypto
import Foundation

/// SHA-1, the digest Moodle names stored files by (`files.contenthash`, the pool path
/// `files/<first two digits>/<hash>` of a backup), computed by OpenSSL's libcrypto. Fed in
/// pieces (`update`) for files read as streams, then `finalize` once.
final class SHA1 {
    private let context: OpaquePointer

    init() {
        // Only an out-of-memory libcrypto fails to start a digest.
        guard let c = EVP_MD_CTX_new(), EVP_DigestInit_ex(c, EVP_sha1(), nil) == 1 else { fatalError("libcrypto cannot start a SHA-1 digest") }
        context = c
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The 20 bytes of the digest.
    func finalizeDigest() -> SHA1Digest {
        var md = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &md, &length) == 1 && length == 20, "libcrypto cannot finish a SHA-1 digest")
        return SHA1Digest(md)
    }

    /// 40 lowercase hex digits.
    func finalize() -> String { finalizeDigest().hex }

    static func hex(_ data: Data) -> String { digest(data).hex }

    static func digest(_ data: Data) -> SHA1Digest {
        let s = SHA1()
        data.withUnsafeBytes { s.update($0) }
        return s.finalizeDigest()
    }
}

/// A SHA-1 as its 20 bytes, held in place: a course backup names about 40,000 stored files
/// by their SHA-1, and as 40-digit strings each was a heap object of its own. Ordered as
/// its bytes, which is the order of its hex digits.
package struct SHA1Digest: Hashable, Comparable, Sendable {
    private var high: UInt64
    private var middle: UInt64
    private var low: UInt32

    /// The first 20 of `bytes`.
    package init(_ bytes: some Collection<UInt8>) {
        var b = bytes.makeIterator()
        func next() -> UInt64 { UInt64(b.next()!) }
        high = 0
        middle = 0
        low = 0
        for _ in 0..<8 { high = high << 8 | next() }
        for _ in 0..<8 { middle = middle << 8 | next() }
        for _ in 0..<4 { low = low << 8 | UInt32(next()) }
    }

    /// The digest written as `hex` writes it (40 lowercase hex digits); nil for anything else.
    package init?(hex text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
            if bytes.count > 20 { return nil }
        }
        guard bytes.count == 20, high == nil else { return nil }
        self.init(bytes)
    }

    /// 40 lowercase hex digits.
    package var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        func put(_ v: UInt64, bytes: Int) {
            for i in (0..<bytes).reversed() {
                let b = Int((v >> UInt64(8 * i)) & 0xFF)
                out.append(digits[b >> 4])
                out.append(digits[b & 0xF])
            }
        }
        put(high, bytes: 8)
        put(middle, bytes: 8)
        put(UInt64(low), bytes: 4)
        return String(decoding: out, as: UTF8.self)
    }

    package static func < (a: SHA1Digest, b: SHA1Digest) -> Bool { (a.high, a.middle, a.low) < (b.high, b.middle, b.low) }
}
