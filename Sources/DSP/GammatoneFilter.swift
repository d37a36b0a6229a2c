import Foundation

/// One channel of Slaney's 4th-order gammatone filter as four cascaded biquads
/// (`make_erb_filters`, features.md §2.2).
///
/// All four sections share the poles (`1, B1, B2`) and differ in their zero (`A0, A1i, A2`); the
/// cascade's output is divided by `gain` so that the response is 1 at the centre frequency.
/// Factoring the 8th-order filter into sections is what keeps low centre frequencies at 44.1 kHz
/// stable (the poles lie very close to the unit circle). The same coefficients define Ellis's FFT
/// weights (`GammatoneFilterbank`), so both methods share this one design.
public struct GammatoneFilter: Sendable, Equatable {
    public let centreFrequency: Double
    public let sampleRate: Double
    /// `A0 = T` (the sampling period) and `A2 = 0` for every section.
    public let a0: Double
    public let a2: Double
    /// The middle numerator coefficient of each of the four sections (`A11 ... A14`).
    public let a1: (Double, Double, Double, Double)
    /// Shared denominator `[1, B1, B2]`.
    public let b1: Double
    public let b2: Double
    /// `|H(e^{jω_c})|` of the undivided cascade.
    public let gain: Double

    public static func == (l: Self, r: Self) -> Bool {
        l.centreFrequency == r.centreFrequency && l.sampleRate == r.sampleRate && l.a1 == r.a1
            && l.b1 == r.b1 && l.b2 == r.b2 && l.gain == r.gain
    }

    /// `make_erb_filters(fs, [cf], width)` for one centre frequency.
    public init(sampleRate fs: Double, centreFrequency cf: Double, width: Double = 1) {
        let t = 1 / fs
        let erb = ERBScale.bandwidth(cf, width: width)
        let b = 1.019 * 2 * Double.pi * erb
        let arg = 2 * cf * Double.pi * t
        let ebt = exp(b * t)
        let rtPos = (3 + pow(2, 1.5)).squareRoot()
        let rtNeg = (3 - pow(2, 1.5)).squareRoot()
        let common = -t * exp(-(b * t))
        let k = (cos(arg) + rtPos * sin(arg), cos(arg) - rtPos * sin(arg),
                 cos(arg) + rtNeg * sin(arg), cos(arg) - rtNeg * sin(arg))

        // gain = |Π_i (e^{2j arg} - e^{j arg - BT} k_i) · (T e^{BT} / (-1/e^{BT} + 1 + e^{2j arg}(1 - e^{BT})))^4|
        let vec = GammatoneComplex(polar: 1, angle: 2 * arg)
        let gainArg = GammatoneComplex(polar: exp(-b * t), angle: arg)
        var product = (vec - gainArg * k.0) * (vec - gainArg * k.1) * (vec - gainArg * k.2) * (vec - gainArg * k.3)
        let denominator = GammatoneComplex(-1 / ebt + 1, 0) + vec * (1 - ebt)
        let ratio = GammatoneComplex(t * ebt, 0) / denominator
        let ratio2 = ratio * ratio
        product = product * (ratio2 * ratio2)

        centreFrequency = cf
        sampleRate = fs
        a0 = t
        a2 = 0
        a1 = (common * k.0, common * k.1, common * k.2, common * k.3)
        b1 = -2 * cos(arg) / ebt
        b2 = exp(-2 * b * t)
        gain = product.magnitude
    }

    /// The four zeros' coefficients as an array (section order 1...4).
    public var a1Array: [Double] { [a1.0, a1.1, a1.2, a1.3] }
}

/// The minimum of complex float64 arithmetic the gammatone design needs (no Foundation type exists).
struct GammatoneComplex {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double) { self.re = re; self.im = im }
    init(polar r: Double, angle: Double) { re = r * cos(angle); im = r * sin(angle) }

    var magnitude: Double { hypot(re, im) }
    var conjugate: GammatoneComplex { GammatoneComplex(re, -im) }

    static func + (l: Self, r: Self) -> Self { Self(l.re + r.re, l.im + r.im) }
    static func - (l: Self, r: Self) -> Self { Self(l.re - r.re, l.im - r.im) }
    static func * (l: Self, r: Self) -> Self { Self(l.re * r.re - l.im * r.im, l.re * r.im + l.im * r.re) }
    static func * (l: Self, r: Double) -> Self { Self(l.re * r, l.im * r) }
    static func / (l: Self, r: Self) -> Self {
        let d = r.re * r.re + r.im * r.im
        return Self((l.re * r.re + l.im * r.im) / d, (l.im * r.re - l.re * r.im) / d)
    }
}
