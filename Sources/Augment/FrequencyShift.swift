/// SALSA's `RandomShiftUpDownNp` (features.md §8.2), per row of a batch: with probability `p`, the
/// bins move up or down by `shift ~ U{1..freq_shift_range-1}`, the gap filled by numpy `reflect`
/// (the edge bin excluded). The last `n_last_channels` channels are left as they are. Labels unchanged.
public struct FrequencyShift: Sendable {
    public struct Parameters: Codable, Equatable, Sendable {
        /// SALSA: `freq_shift_range=10`, p 0.5 (PSELDNets: 15, shifts 0..14).
        public var freqShiftRange: Int = 10
        public var p: Double = 0.5
        public var nLastChannels: Int = 0
        public init() {}
        enum CodingKeys: String, CodingKey { case freqShiftRange = "freq_shift_range", p, nLastChannels = "n_last_channels" }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            freqShiftRange = try c.decodeIfPresent(Int.self, forKey: .freqShiftRange) ?? 10
            p = try c.decodeIfPresent(Double.self, forKey: .p) ?? 0.5
            nLastChannels = try c.decodeIfPresent(Int.self, forKey: .nLastChannels) ?? 0
            guard freqShiftRange >= 2 else { throw AugmentError("freq_shift.freq_shift_range \(freqShiftRange) must be >= 2 (shifts are 1..range-1)") }
            guard (0...1).contains(p) else { throw AugmentError("freq_shift.p \(p) is not a probability in [0, 1]") }
            guard nLastChannels >= 0 else { throw AugmentError("freq_shift.n_last_channels must be >= 0") }
        }
    }

    /// Per row: the signed shift in bins (positive = content moves to higher bins, 0 = not applied).
    public struct Draw: Codable, Equatable, Sendable {
        public var shifts: [Int]
        public init(shifts: [Int]) { self.shifts = shifts }
    }

    public static let name = "freq_shift"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// Draws for each row, in row order: u (apply?), shift, direction.
    public func draw(rows: Int, random: inout AugmentRandom) -> Draw {
        var shifts: [Int] = []
        for _ in 0..<rows {
            let u = random.uniform()
            let shift = random.integer(in: 1...(parameters.freqShiftRange - 1))
            let up = random.integer(below: 2) == 0
            shifts.append(u < parameters.p ? (up ? shift : -shift) : 0)
        }
        return Draw(shifts: shifts)
    }

    public func apply(to batch: inout Batch, random: inout AugmentRandom) throws -> Draw {
        let d = draw(rows: batch.rows, random: &random)
        try apply(d, to: &batch)
        return d
    }

    /// Applies given draws (e.g. to reproduce a recorded row).
    public func apply(_ draw: Draw, to batch: inout Batch) throws {
        let (B, C, T, F) = (batch.rows, batch.channels, batch.frames, batch.bins)
        guard draw.shifts.count == batch.rows else { throw AugmentError("freq_shift: \(draw.shifts.count) draws for \(batch.rows) rows") }
        guard draw.shifts.allSatisfy({ abs($0) <= F - 1 }) else {
            throw AugmentError("freq_shift: a shift of up to \(parameters.freqShiftRange - 1) bins needs more than \(F) bins")
        }
        let shifted = max(0, C - parameters.nLastChannels)
        var line = [Float](repeating: 0, count: F)
        batch.values.withUnsafeMutableBufferPointer { v in
            for b in 0..<B where draw.shifts[b] != 0 {
                let s = draw.shifts[b]
                for c in 0..<shifted {
                    for t in 0..<T {
                        let base = ((b * C + c) * T + t) * F
                        for f in 0..<F { line[f] = v[base + f] }
                        for f in 0..<F {
                            let source: Int
                            if s > 0 { source = f >= s ? f - s : s - f }                 // pad (s, 0) reflect, keep [:F]
                            else { source = f - s < F ? f - s : 2 * (F - 1) - (f - s) }  // pad (0, |s|) reflect, keep [|s|:]
                            v[base + f] = line[source]
                        }
                    }
                }
            }
        }
    }
}
