import Foundation
import Testing

@testable import LadderPackaging

/// The lock file's "started" stamp is written without `ISO8601DateFormatter` (which loads
/// ICU's calendar data): it must read as that formatter writes it.
struct ExportsLockTests {
    @Test(arguments: [0.0, 0.999, 951_782_400.5, 1_764_959_539.25, 1_798_761_599.0, 4_102_444_800.0])
    func startedStampIsWhatTheISO8601FormatterWrites(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(ExportsLock.utcStamp(date) == ISO8601DateFormatter().string(from: date))
    }
}
