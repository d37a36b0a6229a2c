import Augment
import Corpora

extension SELDTargets {
    /// Maps every DOA vector by `transform`, as the channel swap mapped the clip's W, Y, Z, X, so a
    /// swapped variant's labels still name where its sound comes from (features.md §8.1). The
    /// transforms are signed axis permutations, so a zero (inactive) vector stays zero and activity,
    /// which no rotation changes, is left alone.
    mutating func apply(_ transform: FOATransform) {
        guard transform.number != 0 else { return }
        func map(_ x: Float, _ y: Float, _ z: Float) -> (Float, Float, Float) {
            let r = transform.apply(x: Double(x), y: Double(y), z: Double(z))
            return (Float(r.x), Float(r.y), Float(r.z))
        }
        // doa [frames, tracks, classes, 3]: the vectors are contiguous triples.
        for base in stride(from: 0, to: doa.count, by: 3) {
            (doa[base], doa[base + 1], doa[base + 2]) = map(doa[base], doa[base + 1], doa[base + 2])
        }
        // adpit [frames, 6, 4, classes]: rows 1, 2, 3 of each track are x, y, z, one value per class.
        let blocks = adpit.count / (4 * classes)
        for block in 0..<blocks {
            for c in 0..<classes {
                let x = (block * 4 + 1) * classes + c, y = x + classes, z = y + classes
                (adpit[x], adpit[y], adpit[z]) = map(adpit[x], adpit[y], adpit[z])
            }
        }
    }
}
