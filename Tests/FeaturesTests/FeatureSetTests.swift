import TestSupport
import XCTest
@testable import Features

/// `FeatureSet` shares STFTs, mel spectrograms and log-mels between representations; every output
/// must be bit-identical to the representation's own worker.
final class FeatureSetTests: XCTestCase {
    func specs(_ json: String) throws -> [FeatureSpec] {
        try JSONDecoder().decode([FeatureSpec].self, from: Data(json.utf8))
    }

    /// pipelines/sps-dcase2020.yaml's features.
    static let sps = """
    [{"name": "logmel40", "kind": "logmel", "sr": 44100, "n_fft": 2048, "hop_length": 512, "n_mels": 40},
     {"name": "cqt64", "kind": "cqt", "sr": 44100, "hop_length": 512, "n_bins": 64, "bins_per_octave": 12},
     {"name": "gamma64", "kind": "gammatone", "sr": 44100, "win_length": 2048, "hop_length": 512, "nfilts": 64,
      "fmin": 20, "framing": "librosa"},
     {"name": "mfcc40", "kind": "mfcc", "sr": 44100, "n_fft": 2048, "hop_length": 512, "n_mels": 40, "n_mfcc": 40}]
    """

    /// pipelines/estm-dcase2020t2.yaml's features.
    static let estm = """
    [{"name": "sgram128", "kind": "logmel", "sr": 16000, "n_fft": 1024, "hop_length": 512, "n_mels": 128,
      "pad_mode": "reflect", "mel_scale": "htk", "norm": null, "log": "db_no_clip"},
     {"name": "esgram128", "kind": "esgram", "n_fft": 1024, "hop_length": 512, "n_mels": 128, "alpha": 2.0},
     {"name": "tgram", "kind": "tgram", "sr": 16000, "win_length": 1024, "hop_length": 512}]
    """

    /// Everything that can be shared at once: one STFT for two log-mels (different n_mels, one cropped),
    /// an MFCC with deltas, a gammatone on the same 2048-point STFT, an ESgram on linear statistics, stereo.
    static let mixed = """
    [{"name": "a", "kind": "logmel", "sr": 22050, "n_fft": 2048, "hop_length": 512, "n_mels": 64, "max_frames": 30},
     {"name": "b", "kind": "logmel", "sr": 22050, "n_fft": 2048, "hop_length": 512, "n_mels": 40, "db_scope": "channel"},
     {"name": "c", "kind": "mfcc", "sr": 22050, "n_fft": 2048, "hop_length": 512, "n_mels": 64, "n_mfcc": 20,
      "delta_order": 2, "max_frames": 30},
     {"name": "d", "kind": "gammatone", "sr": 22050, "win_length": 2048, "hop_length": 512, "nfft": 2048, "nfilts": 32},
     {"name": "e", "kind": "esgram", "sr": 22050, "n_fft": 2048, "hop_length": 512, "n_mels": 40, "pad_mode": "constant",
      "mel_scale": "slaney", "norm": "slaney", "stats_domain": "linear", "stack_logmel": true},
     {"name": "f", "kind": "mfcc", "sr": 16000, "n_fft": 1024, "hop_length": 256, "n_mels": 40, "n_mfcc": 13}]
    """

    func checkBitIdentical(_ json: String, _ waveforms: [Int: [[Float]]], clips: Int = 2) throws {
        let set = FeatureSet(try specs(json))
        let worker = set.makeWorker()
        for _ in 0..<clips {  // the second clip reuses the worker's buffers
            let shared = try worker.extract(waveforms)
            XCTAssertEqual(shared.count, set.extractors.count)
            for (extractor, tensor) in zip(set.extractors, shared) {
                let alone = try extractor.makeWorker().extract(waveforms[extractor.sampleRate]!)
                XCTAssertEqual(tensor.shape, alone.shape, extractor.name)
                XCTAssertTrue(tensor.values.elementsEqual(alone.values) { $0.bitPattern == $1.bitPattern },
                              "\(extractor.name) differs from its own worker")
            }
        }
    }

    func testSharing() throws {
        let sps = FeatureSet(try specs(Self.sps))
        XCTAssertEqual(sps.spectra.count, 2)  // log-mel/MFCC 2048, gammatone 4096
        XCTAssertEqual(sps.mels.count, 1)
        XCTAssertEqual(sps.logged.count, 1)  // the MFCC takes the DCT of logmel40
        let mixed = FeatureSet(try specs(Self.mixed))
        XCTAssertEqual(mixed.spectra.count, 2)
        XCTAssertEqual(mixed.spectra[0].products.count, 2)  // float32 power and the gammatone's amplitude
        XCTAssertEqual(mixed.mels.count, 3)
    }

    func testSPSSetIsBitIdentical() throws {
        let clip = TestSignals.noise(3 * 44100)
        try checkBitIdentical(Self.sps, [44100: [clip]])
    }

    func testESTMSetIsBitIdentical() throws {
        try checkBitIdentical(Self.estm, [16000: [TestSignals.noise(5 * 16000)]])
    }

    func testMixedSetIsBitIdentical() throws {
        let left = TestSignals.noise(2 * 22050), right = TestSignals.noise(2 * 22050, seed: 7)
        try checkBitIdentical(Self.mixed, [22050: [left, right], 16000: [TestSignals.noise(32000, seed: 3)]])
    }

    /// A float32 and a float64 log-mel of the same parameters are two STFTs (the precision is part of
    /// `STFT.Key`), each bit-identical to its own worker, and they differ (the float32 path really ran).
    func testPrecisionsAreNotShared() throws {
        let json = """
        [{"name": "a", "kind": "logmel", "sr": 16000, "n_fft": 512, "hop_length": 160, "n_mels": 40, "precision": "float64"},
         {"name": "b", "kind": "logmel", "sr": 16000, "n_fft": 512, "hop_length": 160, "n_mels": 40, "precision": "float32"},
         {"name": "c", "kind": "mfcc", "sr": 16000, "n_fft": 512, "hop_length": 160, "n_mels": 40, "n_mfcc": 13, "precision": "float32"}]
        """
        let set = FeatureSet(try specs(json))
        XCTAssertEqual(set.spectra.count, 2)
        XCTAssertEqual(set.logged.count, 2)  // the float32 MFCC takes the DCT of the float32 log-mel
        let waveforms = [16000: [TestSignals.noise(16000)]]
        try checkBitIdentical(json, waveforms)
        let out = try set.makeWorker().extract(waveforms)
        XCTAssertFalse(out[0].values.elementsEqual(out[1].values) { $0.bitPattern == $1.bitPattern })
        XCTAssertEqual(zip(out[0].values, out[1].values).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1e-3)
    }

    func testShortClipErrorsMatch() throws {
        let json = #"[{"name": "a", "kind": "logmel", "sr": 16000, "n_fft": 1024, "center": false}]"#
        XCTAssertThrowsError(try FeatureSet(try specs(json)).makeWorker().extract([16000: [[Float](repeating: 0, count: 100)]]))
    }
}
