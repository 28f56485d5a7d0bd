import Testing
@testable import RetmplTemplate
