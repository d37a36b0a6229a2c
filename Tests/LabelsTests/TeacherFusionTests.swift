import Foundation
import Labels
import Randomness
import Store
import XCTest

/// Eq. 4's fit: the analytic gradient against finite differences, recovery of the weights that
/// generated synthetic logits, and the `pipe labels teachers` view.
final class TeacherFusionTests: XCTestCase {
    /// N rows of K teachers' logits over C classes, labels drawn from softmax(Σ α_k L_k + β).
    private func synthetic(rows N: Int, alpha: [Double], beta: [Double], seed: UInt64) -> (logits: [[[Double]]], labels: [Int]) {
        var random = SplitMix64(seed: seed)
        let truth = TeacherFusion(alpha: alpha, beta: beta)
        var logits: [[[Double]]] = []
        var labels: [Int] = []
        for _ in 0..<N {
            let shared = beta.indices.map { _ in 2 * random.nextSigned() }
            let row = alpha.indices.map { _ in shared.map { $0 + 1.5 * random.nextSigned() } }
            let p = TeacherFusion.softmax(truth.fuse(row))
            var u = random.nextUnit(), label = p.count - 1
            for (i, q) in p.enumerated() { if u < q { label = i; break }; u -= q }
            logits.append(row)
            labels.append(label)
        }
        return (logits, labels)
    }

    func testGradientMatchesFiniteDifferences() {
        let data = synthetic(rows: 200, alpha: [0.7, 0.2, 1.1], beta: [0.3, -0.1, 0, -0.2], seed: 1)
        let point = TeacherFusion(alpha: [0.4, -0.3, 0.9], beta: [0.1, 0.5, -0.4, -0.2])
        let analytic = point.loss(logits: data.logits, labels: data.labels).gradient
        let h = 1e-6
        for j in 0..<7 {
            var plus = point, minus = point
            if j < 3 { plus.alpha[j] += h; minus.alpha[j] -= h } else { plus.beta[j - 3] += h; minus.beta[j - 3] -= h }
            let numeric = (plus.loss(logits: data.logits, labels: data.labels).value
                - minus.loss(logits: data.logits, labels: data.labels).value) / (2 * h)
            XCTAssertEqual(analytic[j], numeric, accuracy: 1e-7, "parameter \(j)")
        }
    }

    func testFitRecoversGeneratingWeights() {
        let alpha = [1.2, 0.3, 0.6], beta = [0.4, -0.6, 0.1, 0.1, 0.0]
        let data = synthetic(rows: 20_000, alpha: alpha, beta: beta, seed: 2)
        let (fit, iterations, converged) = TeacherFusion.fit(logits: data.logits, labels: data.labels, teachers: 3, classes: 5)
        print("TeacherFusion recovery on 20,000 rows: α \(fit.alpha.map { String(format: "%.4f", $0) }) (true \(alpha)), "
              + "β \(fit.beta.map { String(format: "%.4f", $0) }), \(iterations) Newton steps")
        XCTAssertLessThan(iterations, 50)
        XCTAssertTrue(converged)
        let gradient = fit.loss(logits: data.logits, labels: data.labels).gradient
        XCTAssertLessThan(gradient.map(abs).max() ?? 1, 1e-8)
        for k in 0..<3 { XCTAssertEqual(fit.alpha[k], alpha[k], accuracy: 0.06, "α[\(k)]") }
        // β is recovered up to the common shift softmax ignores: compare centred values.
        let centred = beta.map { $0 - beta.reduce(0, +) / 5 }
        XCTAssertEqual(fit.beta.reduce(0, +), 0, accuracy: 1e-9)
        for i in 0..<5 { XCTAssertEqual(fit.beta[i], centred[i], accuracy: 0.06, "β[\(i)]") }
        // The fit's loss is no worse than the generating weights' (it is the minimum).
        let truth = TeacherFusion(alpha: alpha, beta: beta)
        XCTAssertLessThanOrEqual(fit.loss(logits: data.logits, labels: data.labels).value,
                                 truth.loss(logits: data.logits, labels: data.labels).value + 1e-12)
    }

    func testSeparableRowsAreReportedAndL2GivesAFiniteMinimum() {
        // One teacher whose logits put the label first by a margin: perfectly separable.
        let logits: [[[Double]]] = (0..<60).map { t in [(0..<3).map { $0 == t % 3 ? 1.0 : 0.0 }] }
        let labels = (0..<60).map { $0 % 3 }
        let plain = TeacherFusion.fit(logits: logits, labels: labels, teachers: 1, classes: 3)
        XCTAssertFalse(plain.converged)
        let ridge = TeacherFusion.fit(logits: logits, labels: labels, teachers: 1, classes: 3, l2: 1e-3)
        XCTAssertTrue(ridge.converged)
        XCTAssertLessThan(ridge.fusion.loss(logits: logits, labels: labels, l2: 1e-3).gradient.map(abs).max() ?? 1, 1e-9)
        // The penalised gradient check.
        let point = TeacherFusion(alpha: [0.5], beta: [0.1, -0.2, 0.1])
        let g = point.loss(logits: logits, labels: labels, l2: 0.3).gradient
        var plus = point, minus = point
        plus.alpha[0] += 1e-6; minus.alpha[0] -= 1e-6
        XCTAssertEqual(g[0], (plus.loss(logits: logits, labels: labels, l2: 0.3).value
                              - minus.loss(logits: logits, labels: labels, l2: 0.3).value) / 2e-6, accuracy: 1e-7)
    }

    func testTeachersViewWritesSoftTargetsAndRefusesMismatchedIds() throws {
        let root = try LabelsFixture.temporaryDirectory(for: self)
        let store = try LabelsFixture.makeStore(at: root.appendingPathComponent("store"), rows: 400, label: { Int32($0 % 4) })
        let reader = try StoreReader(manifest: store)
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        var random = SplitMix64(seed: 9)
        var files: [URL] = []
        for k in 0..<3 {
            // Teacher k sees the label with strength 1 + k and its own noise; columns in another order.
            let order = [2, 0, 3, 1]
            let logits = ids.indices.map { row in
                order.map { c in (c == Int(labels[row]) ? Double(1 + k) : 0) + 2 * random.nextSigned() }
            }
            let url = root.appendingPathComponent("t\(k).csv")
            try LogitsFile(classes: order.map { LabelsFixture.classes[$0] }, ids: ids, logits: logits).write(to: url)
            files.append(url)
        }
        let out = root.appendingPathComponent("teachers")
        let report = try TeacherTargets.run(view: store, logits: files, temperature: 2, out: out)
        XCTAssertGreaterThan(report.fusion.alpha[2], report.fusion.alpha[0], "the strongest teacher weighs most")
        XCTAssertGreaterThanOrEqual(report.fusedAccuracy, report.teacherAccuracy.max() ?? 1)
        let view = try StoreReader(manifest: out)
        XCTAssertEqual(view.columns.first { $0.name == "targets/teachers" }?.rowShape, [4])
        let targets = try XCTUnwrap(try view.readRow(5, columns: ["targets/teachers"]).floats("targets/teachers"))
        XCTAssertEqual(Double(targets.reduce(0, +)), 1, accuracy: 1e-6)
        XCTAssertEqual(view.manifest.parameters["alpha"]?.arrayCount, 3)
        XCTAssertTrue(report.table().contains("best single teacher"))

        let text = try String(contentsOf: files[0], encoding: .utf8).split(separator: "\n")
        let missing = root.appendingPathComponent("missing.csv")
        try text.dropLast().joined(separator: "\n").write(to: missing, atomically: true, encoding: .utf8)
        let nan = root.appendingPathComponent("nan.csv")
        try (text.prefix(2) + ["\(ids[1]),nan,0,0,0"]).joined(separator: "\n").write(to: nan, atomically: true, encoding: .utf8)
        let refused = root.appendingPathComponent("refused")
        XCTAssertThrowsError(try TeacherTargets.run(view: store, logits: [missing, files[1]], out: refused)) {
            XCTAssertTrue("\($0)".contains(missing.path) && "\($0)".contains("no logits for the view's row"), "\($0)")
        }
        XCTAssertThrowsError(try TeacherTargets.run(view: store, logits: [nan], out: refused)) {
            XCTAssertTrue("\($0)".contains("row 2") && "\($0)".contains("not a finite logit"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path))
    }
}

private extension JSONValue {
    var arrayCount: Int? { if case let .array(values) = self { return values.count } else { return nil } }
}
