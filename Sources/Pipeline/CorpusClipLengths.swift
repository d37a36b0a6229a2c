import AudioIO
import Corpora
import Foundation

/// The clip length of each corpus of a run, and the rule that corpora of different lengths are read
/// together only where the pipeline says how their rows become alike.
///
/// A fixed `audio.duration` alone does not: it pads a short clip with silence and cuts a long one to
/// its start, so `pipe ingest tau2022 cas2023` under ds-flexinet's 1 s would keep a tenth of every
/// CAS clip and label it as the whole. With `audio.segment_hop` every recording becomes
/// `duration`-long segments, which is a way to make them alike (the SELD baselines' windows, TAU
/// 2022's own 1-s pieces of 10-s recordings); without a fixed duration nothing is cut. Otherwise two
/// corpora whose typical lengths differ by more than `tolerance` are an error before any work,
/// naming each corpus with its length and what the pipeline would do to it.
struct CorpusClipLengths {
    /// A corpus's clip lengths: its recipe's published length, else the median and range of the
    /// headers of up to `sampleSize` of its recordings (spread over the catalog; reading every
    /// header of a 230,000-file corpus would cost minutes before the run).
    struct Length: Equatable {
        var corpus: String
        var typical: Double
        var range: ClosedRange<Double>
        /// Whether the length is the recipe's (`CorpusRecipe.clipSeconds`), not measured.
        var declared: Bool

        var text: String {
            func s(_ x: Double) -> String { x == x.rounded() ? "\(Int(x)) s" : String(format: "%.2f s", x) }
            let spread = range.upperBound - range.lowerBound > 0.01 ? " (\(s(range.lowerBound))–\(s(range.upperBound)))" : ""
            return "\(corpus) \(s(typical))\(spread)"
        }
    }

    static let sampleSize = 16
    /// Lengths within this factor are alike (10- and 11-s DCASE 2020 T2 clips are; 1 and 10 s are not):
    /// the same factor as the padding refusal of one corpus (`CorpusRecipe.clipSeconds`).
    static let tolerance = 1.5

    var lengths: [Length] = []

    static func measure(corpus: String, declared: Double?, recordings: [Recording]) -> Length? {
        if let declared { return Length(corpus: corpus, typical: declared, range: declared...declared, declared: true) }
        guard !recordings.isEmpty else { return nil }
        let k = min(sampleSize, recordings.count)
        let picks = k == 1 ? [0] : (0..<k).map { $0 * (recordings.count - 1) / (k - 1) }
        let seconds = picks.compactMap { i -> Double? in
            guard let info = try? AudioDecoder.info(URL(fileURLWithPath: recordings[i].path)), info.sampleRate > 0,
                  info.frameCount > 0 else { return nil }
            return Double(info.frameCount) / Double(info.sampleRate)
        }.sorted()
        guard let first = seconds.first, let last = seconds.last else { return nil }
        return Length(corpus: corpus, typical: seconds[seconds.count / 2], range: first...last, declared: false)
    }

    /// Throws when the corpora's lengths differ and `audio` has no way to make them alike.
    func check(_ audio: AudioPolicy, pipeline: String) throws {
        guard lengths.count >= 2, let duration = audio.duration, audio.segmentHop == nil,
              let shortest = lengths.map(\.typical).min(), let longest = lengths.map(\.typical).max(),
              longest > shortest * Self.tolerance else { return }
        let fate = lengths.map { length -> String in
            let action = length.typical > duration * 1.05 ? "cut to its first \(Self.seconds(duration))"
                : length.typical < duration * 0.95 ? "padded to \(Self.seconds(duration))" : "kept"
            return "\(length.text): \(action)"
        }
        throw PipelineError.invalidConfig(
            "corpora of different clip lengths (\(fate.joined(separator: "; "))) under pipeline '\(pipeline)', "
            + "whose audio.duration \(Self.seconds(duration)) alone does not make them alike: set audio.segment_hop to cut "
            + "every recording into \(Self.seconds(duration)) segments, or ingest the corpora into separate stores")
    }

    static func seconds(_ x: Double) -> String { x == x.rounded() ? "\(Int(x)) s" : "\(x) s" }
}
