import Foundation
import XCTest

/// `Goldens/augment.json` (made by `Goldens/make_augment_goldens.py`), read as plain JSON.
enum AugmentGoldens {
    static let root: [String: Any] = {
        let url = Bundle.module.url(forResource: "augment", withExtension: "json", subdirectory: "Goldens")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static func section(_ name: String) -> [String: Any] { root[name] as! [String: Any] }
}

extension Dictionary where Key == String, Value == Any {
    func floats(_ key: String) -> [Float] { (self[key] as! [NSNumber]).map { $0.floatValue } }
    func ints(_ key: String) -> [Int] { (self[key] as! [NSNumber]).map { $0.intValue } }
    func int(_ key: String) -> Int { (self[key] as! NSNumber).intValue }
    func cases(_ key: String = "cases") -> [[String: Any]] { self[key] as! [[String: Any]] }
}

/// Largest |a - b| and the largest |b| (for relative figures).
func maxError(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) -> (abs: Double, scale: Double) {
    XCTAssertEqual(a.count, b.count, "lengths differ", file: file, line: line)
    var e = 0.0, s = 0.0
    for (x, y) in zip(a, b) {
        e = max(e, abs(Double(x) - Double(y)))
        s = max(s, abs(Double(y)))
    }
    return (e, s)
}
