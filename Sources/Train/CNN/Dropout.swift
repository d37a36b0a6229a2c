import Randomness

/// Inverted dropout (PyTorch `Dropout(p)`): in training, each value is zeroed with probability `p`
/// and the rest scaled by 1/(1−p); in evaluation, the identity.
///
/// The mask is drawn from `SplitMix64(seed: pass.randomSeed)`, a seed the network derives from
/// (run seed, epoch, batch, layer): the same batch gets the same mask in a resumed run, and the
/// mask does not depend on thread counts.
final class Dropout: Layer {
    let input: MapShape
    var output: MapShape { input }
    let p: Float
    private var mask: [Float] = []

    init(input: MapShape, p: Float) {
        self.input = input
        self.p = p
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        guard pass.training, p > 0 else { mask = []; return x }
        var generator = SplitMix64(seed: pass.randomSeed)
        let keep = 1 / (1 - p)
        mask = (0..<x.count).map { _ in generator.nextUnit() < Double(p) ? 0 : keep }
        return zip(x, mask).map { $0 * $1 }
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        return mask.isEmpty ? dy : zip(dy, mask).map { $0 * $1 }
    }
}
