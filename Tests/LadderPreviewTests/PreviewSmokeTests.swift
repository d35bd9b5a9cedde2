import Testing
@testable import LadderPreview
