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

    /// 40 lowercase hex digits.
    func finalize() -> String {
        var md = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &md, &length) == 1, "libcrypto cannot finish a SHA-1 digest")
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in md.prefix(Int(length)) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ data: Data) -> String {
        let s = SHA1()
        data.withUnsafeBytes { s.update($0) }
        return s.finalize()
    }
}
