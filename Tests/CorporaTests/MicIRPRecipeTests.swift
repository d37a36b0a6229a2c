import AudioIO
import TestSupport
import XCTest
@testable import Corpora

/// The MicIRP bank: the synthetic bank has the published names, rates and lengths, and the catalog
/// lists the response files sorted as `load_dirs` does, awkward names intact.
final class MicIRPRecipeTests: XCTestCase {
    func testSynthBankReadsBackWithPublishedNamesRatesAndLengths() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let summary = try MicIRPSynth().generate(root: dir.url, perClass: 1, seed: 0)
        XCTAssertEqual(summary.filesWritten, 66)
        let catalog = try MicIRPRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }, [])
        XCTAssertEqual(catalog.recordings.map { $0.id }, MicIRPSynth.names.map { "micirp/\($0)" })
        XCTAssertEqual(catalog.recordings.map { $0.path }, catalog.recordings.map { $0.path }.sorted())
        XCTAssertTrue(catalog.recordings.contains { $0.path.hasSuffix("/MicIRP/B&O_BM2.wav") })
        XCTAssertTrue(catalog.recordings.contains { $0.path.hasSuffix("/MicIRP/Doremi_.wav") })
        var rates: [Int: Int] = [:]
        for r in catalog.recordings {
            let audio = try AudioDecoder.decode(URL(fileURLWithPath: r.path))
            rates[audio.sampleRate, default: 0] += 1
            XCTAssertEqual(audio.channels.count, 1)
            let seconds = Double(audio.channels[0].count) / Double(audio.sampleRate)
            XCTAssertTrue((0.343...0.5).contains(seconds), "\(r.id): \(seconds) s")
            if r.id.hasPrefix("micirp/IR_") { XCTAssertEqual(audio.channels[0].count, 22_050, r.id) }
        }
        XCTAssertEqual(rates, [44_100: 61, 48_000: 5])
        XCTAssertNil(CorpusRegistry.recipe(named: "micirp"), "a bank, not a corpus of clips")
    }

    func testOtherFilesAreIssues() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("", to: "MicIRP/Doremi_.wav")
        try dir.write("", to: "MicIRP/README.txt")
        let catalog = try MicIRPRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { $0.id }, ["micirp/Doremi_"])
        XCTAssertEqual(catalog.issues.map { $0.message }, ["README.txt: is not a .wav file; skipped"])
    }
}
