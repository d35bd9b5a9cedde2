import CLibCrypto
import Foundation

/// SHA-1, the digest Moodle names stored files by (`files.contenthash`, the pool path
/// `files/<first two digits>/<hash>` of a backup), computed by OpenSSL's libcrypto.
enum SHA1 {
    static func hex(_ data: Data) -> String {
        var md = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            // EVP_Digest hashes in one call; a zero-length buffer still needs a valid pointer.
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            return EVP_Digest(base, raw.count, &md, &length, EVP_sha1(), nil) == 1
        }
        // Only an out-of-memory libcrypto fails a one-shot digest.
        precondition(ok, "libcrypto cannot compute a SHA-1 digest")
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in md.prefix(Int(length)) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
