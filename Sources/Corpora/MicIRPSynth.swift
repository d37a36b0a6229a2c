import AudioIO
import Foundation
import Randomness

/// A synthetic MicIRP bank (`pipe synth micirp`): the 66 file names of the CP-JKU selection, as
/// published (`B&O_BM2`, `Doremi_`, …), mono 24-bit, 44.1 kHz except the five published at 48 kHz,
/// 0.343–0.5 s long (the `IR_*` files exactly 0.5 s = 22,050 samples, as the real ones).
///
/// Each response is a unit impulse followed by an exponentially decaying, one-pole low-passed noise
/// tail whose decay and cut-off depend on the device, so convolving with two responses gives two
/// different colourings. `perClass` is not used: the bank is the 66 names, once each.
public struct MicIRPSynth: SyntheticCorpus {
    public typealias Recipe = MicIRPRecipe

    /// The 66 names of datasets.md §7, sorted.
    public static let names = """
        Altec_639 Altec_670A Altec_670B American_R331 Amperite_RA B&O_BM2 B&O_BM6 BBCmarconi_B
        Beomic_1000 Beyer_M260 Beyer_M360 Coles_4038 Doremi_ EMI_ribbon EV_RE20_Flat EV_RE20_HPF
        FilmIndustries_M8 GEC_2373 GEC_bigdynamic Grampian_GR2 IR_AKGD12 IR_AKG_FaultyD12 IR_Astatic77
        IR_BeyerM500Stock IR_FosterDynamicDF1 IR_GaumontKalee IR_Lomo52A5M IR_Meazzi IR_MelodiumRM6
        IR_OktavaMD57 IR_OktavaMK18Silver IR_OktavaMK18_Overload IR_OktavaML16 IR_RCAKU3a IR_ResloCR600
        IR_ResloDynamic IR_ResloURA IR_STC4033_Cardioid IR_STC4033_Pressure IR_STC4033_Ribbon IR_STC4035
        IR_Shure510C Melodium_42B_1 Melodium_Model12 Oktava_ML19 RCA_44BX_1 RCA_44BX_2 RCA_74B RCA_77DX_1
        RCA_77DX_2 RCA_KU3a_1 RCA_PB90 RCA_varacoustic_fig8 Reslo_RB250 Reslo_RB_RedLabel Reslo_RV
        Reslo_SR1 Reslo_VMC2 Shure315_HPF Shure315_flat Sony_C37Fet Telefunken_M201 Toshiba_BK5
        Toshiba_TypeG Toshiba_TypeK_HPF Toshiba_TypeK_flat
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    /// The five published at 48 kHz.
    public static let at48k: Set<String> = ["BBCmarconi_B", "EV_RE20_Flat", "EV_RE20_HPF", "Reslo_RV", "Reslo_VMC2"]

    public init() {}

    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: Recipe.folderName)
        var clips: [SynthClip] = []
        for name in Self.names {
            let rate = Self.at48k.contains(name) ? 48_000 : 44_100
            var rng = SplitMix64(seed: seed, key: "\(Recipe.name)/\(name)")
            let length = name.hasPrefix("IR_") ? 22_050 : Int((0.343 + 0.157 * rng.nextUnit()) * Double(rate))
            let decay = 0.002 + 0.02 * rng.nextUnit()          // seconds
            let pole = 0.3 + 0.65 * rng.nextUnit()              // one-pole low-pass coefficient
            var samples = [Float](repeating: 0, count: length)
            samples[0] = 0.9
            var state = 0.0
            for t in 1..<length {
                state = pole * state + (1 - pole) * rng.nextSigned()
                samples[t] = Float(0.5 * state * exp(-Double(t) / (decay * Double(rate))))
            }
            let relative = "\(name).wav"
            try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: [samples]),
                                      to: folder.appendingPathComponent(relative), format: .pcm24)
            clips.append(SynthClip(relativePath: relative, classIndex: 0, split: MicIRPRecipe.split, labeled: false))
        }
        return SynthWriter.summary(corpus: Recipe.name, folder: folder, clips: clips, classes: ["response"], metadataFiles: [])
    }
}
