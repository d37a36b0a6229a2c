import DSP
import XCTest

/// `librosa.power_to_db` (features.md §1.5) against the goldens, bit for bit: numpy's float32 log10
/// is the C library's, and PowerToDB repeats numpy's dtype rules (float32 except where a float64
/// scalar forces float64), so any difference is a changed formula or rounding step.
final class PowerToDBTests: XCTestCase {
    func testMatchesLibrosa() throws {
        let g = try DSPGoldens.load().powerToDB
        var worst = 0
        for c in g.cases {
            let ref: PowerToDB.Reference
            switch c.ref {
            case .value(let v): ref = .value(v)
            case .max: ref = .max
            }
            var values = g.input
            values.withUnsafeMutableBufferPointer { PowerToDB(ref: ref, amin: c.amin, topDB: c.topDB).apply($0) }
            var mismatches = 0
            for (i, (a, b)) in zip(values, c.values).enumerated() where a.bitPattern != b.bitPattern {
                worst = max(worst, ulpDistance(a, b))
                if mismatches < 3 { XCTFail("\(c.id)[\(i)]: \(a) vs librosa \(b) (input \(g.input[i]))") }
                mismatches += 1
            }
            XCTAssertEqual(mismatches, 0, c.id)
        }
        print("power_to_db vs librosa: max \(worst) ULP over \(g.cases.count) cases")
    }

    func testDefaultsAreLibrosas() {
        let d = PowerToDB()
        XCTAssertEqual(d, PowerToDB(ref: .value(1), amin: 1e-10, topDB: 80))
    }

    /// The floor is relative to the maximum of everything passed in one call.
    func testTopDBFloorIsRelativeToGlobalMax() {
        var v: [Float] = [1, 1e-3, 1e-9, 0]
        v.withUnsafeMutableBufferPointer { PowerToDB(topDB: 20).apply($0) }
        XCTAssertEqual(v, [0, -20, -20, -20])
    }

    func testEmptyInputIsANoOp() {
        var v: [Float] = []
        v.withUnsafeMutableBufferPointer { PowerToDB(ref: .max).apply($0) }
        XCTAssertEqual(v, [])
    }

    func roundTrip(_ p: PowerToDB) throws -> (PowerToDB, String) {
        let data = try JSONEncoder().encode(p)
        return (try JSONDecoder().decode(PowerToDB.self, from: data), String(decoding: data, as: UTF8.self))
    }

    func testCodableRoundTrip() throws {
        for p in [PowerToDB(), PowerToDB(ref: .max, amin: 1e-5, topDB: nil), PowerToDB(ref: .value(0.25), topDB: 40)] {
            XCTAssertEqual(try roundTrip(p).0, p)
        }
        // top_db: nil must be written as an explicit null, or decoding would bring back 80.
        let (_, json) = try roundTrip(PowerToDB(topDB: nil))
        XCTAssertTrue(json.contains("\"top_db\":null"), json)
        XCTAssertTrue(try roundTrip(PowerToDB(ref: .max)).1.contains("\"ref\":\"max\""))
    }

    func decode(_ json: String) throws -> PowerToDB {
        try JSONDecoder().decode(PowerToDB.self, from: Data(json.utf8))
    }

    func testDecodingConfigs() throws {
        XCTAssertEqual(try decode("{}"), PowerToDB())
        XCTAssertNil(try decode(#"{"top_db": null}"#).topDB)
        XCTAssertEqual(try decode(#"{"top_db": 60}"#).topDB, 60)
        XCTAssertEqual(try decode(#"{"ref": "max", "amin": 1e-5}"#), PowerToDB(ref: .max, amin: 1e-5))
        XCTAssertEqual(try decode(#"{"ref": 2}"#).ref, .value(2))
        XCTAssertThrowsError(try decode(#"{"ref": "min"}"#))
    }
}
