import Foundation
import LadderCore

/// The answer key as a quiz page carries it: nothing a reader of the page source can take
/// the correct options from (docs/runtime.md, "What a client-side quiz can protect").
///
/// - Every option gets a marker: the first 16 hex digits of
///   SHA-256(salt ":" question id ":" letter ":" "1" or "0"), "1" when the option is
///   correct. Every option has one, so their number says nothing either; the runtime finds
///   the correct options by computing the "1" marker of each and comparing.
/// - Option feedback ("Correct. …") would give the key away too, so it travels XORed with a
///   keystream of SHA-256(salt ":" question id ":" letter ":f:" block) digests, in base64.
/// - The salt derives from the curriculum and item ids, so the bytes are deterministic and
///   the same key never hashes alike in two assessments.
package struct AnswerKey {
    package let salt: String

    package init(curriculum: String, item: String) {
        salt = String(Self.digest("ladder-quiz:\(curriculum):\(item)").prefix(16))
    }

    package func marker(question: String, letter: String, correct: Bool) -> String {
        String(Self.digest("\(salt):\(question):\(letter):\(correct ? "1" : "0")").prefix(16))
    }

    package func sealFeedback(_ text: String, question: String, letter: String) -> String {
        Data(xor(Array(text.utf8), question: question, letter: letter)).base64EncodedString()
    }

    /// The inverse of `sealFeedback` (the runtime does the same in JavaScript).
    package func openFeedback(_ sealed: String, question: String, letter: String) -> String? {
        guard let data = Data(base64Encoded: sealed) else { return nil }
        return String(bytes: xor(Array(data), question: question, letter: letter), encoding: .utf8)
    }

    func xor(_ bytes: [UInt8], question: String, letter: String) -> [UInt8] {
        var out = bytes
        var block = 0
        var stream: [UInt8] = []
        for i in out.indices {
            if i % 32 == 0 {
                stream = Self.bytes(hex: Self.digest("\(salt):\(question):\(letter):f:\(block)"))
                block += 1
            }
            out[i] ^= stream[i % 32]
        }
        return out
    }

    static func digest(_ s: String) -> String {
        let h = SHA256Hasher()
        h.update(s)
        return h.finalize()
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: digits.count - 1, by: 2).map { v(digits[$0]) << 4 | v(digits[$0 + 1]) }
    }
}
