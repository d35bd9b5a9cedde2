import Foundation
import LadderCore
import Testing

@testable import LadderRendering

/// Temporary: the JSON catalogue holds the Swift tables' text, byte for byte.
struct PageCatalogueTransitionTests {
    @Test(arguments: PageLanguage.allCases)
    func theFileHoldsTheSwiftTable(_ language: PageLanguage) throws {
        let swift: [PageText: CatalogueText] =
            switch language {
            case .en: PageStrings.english
            case .es: PageStrings.spanish
            case .fr: PageStrings.french
            case .de: PageStrings.german
            }
        let file = try PageStrings.load(language)
        #expect(Set(file.keys) == Set(swift.keys))
        #expect(file.count == PageText.allCases.count)
        for (key, entry) in swift {
            #expect(file[key] == entry, "\(language) \(key)")
            #expect(file[key]?.forms.map { Array($0.utf8) } == entry.forms.map { Array($0.utf8) }, "\(language) \(key) bytes")
        }
    }
}
