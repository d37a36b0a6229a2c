import AudioIO
import Corpora
import Foundation

/// The rows of a pipeline that cuts files into fixed segments (`audio.segment_hop`): segment `k` of a
/// recording starts at `k x hop` seconds and lasts `duration`; segments follow until one reaches the
/// end of the file (that one zero-padded), at least one. Lengths are the files' header claims (a file whose header
/// cannot be read gets one segment, and its decode then says what is wrong with it).
enum RecordingSegments {
    static func expand(_ recordings: [Recording], duration: Double, hop: Double) -> [Recording] {
        recordings.flatMap { recording -> [Recording] in
            var seconds = 0.0
            if let info = try? AudioDecoder.info(URL(fileURLWithPath: recording.path)), info.sampleRate > 0 {
                seconds = Double(info.frameCount) / Double(info.sampleRate)
            }
            // Segments until one reaches the end of the file; a hop longer than `duration` leaves gaps.
            var starts = [0.0]
            while let last = starts.last, last + duration < seconds - 1e-9, last + hop < seconds - 1e-9 {
                starts.append(Double(starts.count) * hop)
            }
            return starts.enumerated().map { k, start in
                var segment = recording
                segment.id = "\(recording.id)#\(k)"
                segment.recordingID = recording.id
                segment.startSeconds = start
                return segment
            }
        }
    }
}
