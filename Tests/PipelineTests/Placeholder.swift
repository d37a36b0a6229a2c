import XCTest

// Replaced by the real tests of this module.
final class PipelineTestsPlaceholder: XCTestCase {}
