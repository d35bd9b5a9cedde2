import CLibCrypto
import Foundation

/// SHA-256 (FIPS 180-4) for the ledger's package and source digests, import digests and
/// gap-track ids, computed by OpenSSL's libcrypto (EVP), which uses the CPU's SHA
/// instructions where it has them: hashing every package a build writes must cost little
/// next to writing it (measured in docs/benchmark.md).
///
/// Feed it with `update` any number of times, then call `finalize` once. Not `Sendable`: a
/// hasher is mutable state owned by one task; hash per task and combine the digests.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private var digest: String?

    public init() {
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            // Only an out-of-memory libcrypto fails here.
            fatalError("libcrypto cannot start a SHA-256 digest")
        }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ data: some DataProtocol) {
        for region in data.regions {
            region.withUnsafeBytes { update(bytes: $0) }
        }
    }

    public func update(_ s: String) {
        var s = s
        s.withUTF8 { update(bytes: UnsafeRawBufferPointer($0)) }
    }

    func update(bytes: UnsafeRawBufferPointer) {
        precondition(digest == nil, "SHA256Hasher.update after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The digest as 64 lowercase hex digits. Later calls return the same digest.
    public func finalize() -> String {
        if let digest { return digest }
        var md = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &md, &length)
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in md.prefix(Int(length)) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        let hex = String(decoding: out, as: UTF8.self)
        digest = hex
        return hex
    }

    /// The digest of what was fed so far, leaving this hasher open for more input.
    public func peek() -> String {
        if let digest { return digest }
        let copy = SHA256Hasher()
        EVP_MD_CTX_copy_ex(copy.context, context)
        return copy.finalize()
    }

    public static func hex(_ data: some DataProtocol) -> String {
        let s = SHA256Hasher()
        s.update(data)
        return s.finalize()
    }

    /// The digest and size of a file, read in 256 KiB chunks (no copy of the whole file).
    /// Throws a `FileSystemError` with the `errno` of `fopen` or `fread`.
    public static func file(_ path: String) throws -> (hex: String, size: Int) {
        guard let f = fopen(path, "rb") else { throw FileSystemError(path: path, action: "read the file", code: errno) }
        // Read only: fclose has no buffered output that could fail to reach the disk.
        defer { fclose(f) }
        let s = SHA256Hasher()
        var size = 0
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = fread(chunk.baseAddress!, 1, chunk.count, f)
            if n > 0 {
                s.update(bytes: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
                size += n
            }
            if n < chunk.count {
                if ferror(f) != 0 { throw FileSystemError(path: path, action: "read the file", code: errno) }
                break
            }
        }
        return (s.finalize(), size)
    }
}
