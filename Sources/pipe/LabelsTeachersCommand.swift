import ArgumentParser
import Foundation
import Labels

/// `pipe labels teachers VIEW --logits T1.csv T2.csv … --out OUT`
struct LabelsTeachersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teachers",
        abstract: "Fuse K teachers' logits (Eq. 4 of seed 001) into soft targets /targets/teachers; writes a view.")

    @Argument(help: "Store or view folder (or manifest.json).")
    var view: String

    @Option(parsing: .upToNextOption, help: "One file per teacher: a CSV id,<class names…> (logits), or HDF5 with /id (strings) and /logits (float32 [N, classes], the view's class order).")
    var logits: [String]

    @Option(help: "fitted (α per teacher, β per class by minimising cross-entropy on labeled rows) or average.")
    var method: String = TeacherTargets.Method.fitted.rawValue

    @Option(help: "Soft targets are softmax(h / temperature).")
    var temperature: Double = 1

    @Option(help: "L2 penalty on α and β (0: the plain cross-entropy, which has no minimum when the labeled rows are separable).")
    var l2: Double = 0

    @Option(help: "Output view folder.")
    var out: String

    @Flag(help: "Replace what --out holds; only the tool's own files are removed.")
    var overwrite = false

    func validate() throws {
        guard TeacherTargets.Method(rawValue: method) != nil else { throw ValidationError("--method must be fitted or average") }
    }

    func run() throws {
        let report = try TeacherTargets.run(view: URL(fileURLWithPath: view), logits: logits.map { URL(fileURLWithPath: $0) },
                                            method: TeacherTargets.Method(rawValue: method) ?? .fitted,
                                            temperature: temperature, l2: l2, out: URL(fileURLWithPath: out), overwrite: overwrite)
        print(report.table(), terminator: "")
        print("view written to \(out) (targets/teachers; no features copied)")
    }
}
