/// One of the 16 FOA rotations/reflections of features.md §8.1: the dihedral group of the horizontal
/// plane (x/y sign flips and the x↔y swap) times the sign of z. It acts on the DOA, `d' = R d`, and
/// on the signals the same way, `[X', Y', Z'] = R [X, Y, Z]`, `W' = W`, so the labels stay true.
///
/// Numbering (the table's): `number = 8·swap + 4·(x' negated) + 2·(y' negated) + (z' negated)`, with
/// `x' = ±(swap ? y : x)`, `y' = ±(swap ? x : y)`, `z' = ±z` — #10 is `(y, -x, z)`, φ' = φ - 90°.
public struct FOATransform: Codable, Equatable, Sendable {
    public let number: Int

    public init(_ number: Int) {
        precondition((0..<16).contains(number), "FOA transform numbers are 0..<16")
        self.number = number
    }

    public var swapsXY: Bool { number & 8 != 0 }
    public var signX: Float { number & 4 != 0 ? -1 : 1 }
    public var signY: Float { number & 2 != 0 ? -1 : 1 }
    public var signZ: Float { number & 1 != 0 ? -1 : 1 }

    /// The 8 that map the DCASE tetrahedral (MIC) array onto itself (an even number of sign flips).
    public static let micCompatible: [Int] = [0, 3, 5, 6, 8, 11, 13, 14]

    /// `R (x, y, z)`.
    public func apply(x: Double, y: Double, z: Double) -> (x: Double, y: Double, z: Double) {
        (Double(signX) * (swapsXY ? y : x), Double(signY) * (swapsXY ? x : y), Double(signZ) * z)
    }

    public func apply(_ d: Direction) -> Direction {
        if number == 0 { return d } // exact: no round trip through Cartesian coordinates
        let v = d.cartesian
        let r = apply(x: v.x, y: v.y, z: v.z)
        return Direction(x: r.x, y: r.y, z: r.z)
    }

    /// The transform of FOA channels in DCASE's order (W, Y, Z, X), in place: the x↔y swap exchanges
    /// the Y and X arrays (no copy), then the negated axes are negated.
    public func apply(foa channels: inout [[Float]]) {
        precondition(channels.count == 4, "FOA needs the 4 channels W, Y, Z, X")
        if swapsXY { channels.swapAt(1, 3) }   // Y' from X, X' from Y
        for (c, sign) in [(1, signY), (2, signZ), (3, signX)] where sign < 0 {
            channels[c].withUnsafeMutableBufferPointer { v in
                for i in v.indices { v[i] = -v[i] }
            }
        }
    }
}
