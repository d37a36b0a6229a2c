/// The bounds outside which a file's header or samples cannot be real audio, whatever its format.
///
/// They exist because a header is data too: one flipped byte turns 44100 Hz into 1 Hz (a resampler
/// asked for a 16 GB output) or 2 channels into 65,000, and a float file can hold 1e30. Each bound is
/// far outside anything a recorder or a corpus produces, so no real file is refused.
public enum AudioLimits {
    /// 1 kHz: below any audio use (telephone speech is 8 kHz); what lies below is a corrupt header.
    public static let minSampleRate = 1_000
    /// 768 kHz: the highest rate DACs and recorders offer (DXD×2 is 705.6 kHz).
    public static let maxSampleRate = 768_000
    /// 64 channels: 7th-order ambisonics, the largest layout in use; also bounds a clip's memory
    /// (`frames × channels`) once reading is limited to the configured duration.
    public static let maxChannelCount = 64
    /// |x| ≤ 1000 (60 dB above full scale). Integer PCM is within ±1 by construction; a float file
    /// may legitimately exceed 1 a little (unclipped mixes), but ±1e30 or ±FLT_MAX is garbage that
    /// would overflow every power spectrum to Inf and leave a row at the dB floor.
    public static let maxSampleMagnitude: Float = 1_000

    public static let sampleRates = minSampleRate...maxSampleRate
    public static let channelCounts = 1...maxChannelCount
}
