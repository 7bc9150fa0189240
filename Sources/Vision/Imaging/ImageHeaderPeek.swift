import Foundation

/// An image's width, height and the channels the decoders will output, read from its file with a few small
/// reads and before anything is decoded, so the memory a decode needs can be reserved first. PNG: the IHDR chunk,
/// which the format puts first. JPEG: the first start-of-frame marker, found by jumping from segment to segment by
/// their lengths (so large metadata before it costs nothing to pass). Nil when neither is found.
enum ImageHeaderPeek {
    struct Size: Equatable {
        let width: Int
        let height: Int
        /// 1 (grey) or 3 (RGB): what ``ImageDecoder`` makes of the image.
        let channels: Int
    }

    /// The most JPEG segments walked before the frame header; real files have a handful.
    static let maximumSegments = 1024

    static func size(of descriptor: Int32) -> Size? {
        guard let start = read(descriptor, at: 0, count: 26) else { return nil }
        if start.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            guard start[12..<16].elementsEqual("IHDR".utf8) else { return nil }
            // Grey and grey+alpha decode to one channel; RGB, RGBA and palette images to three.
            let colourType = start[25]
            return Size(width: Int(bigEndian: start, at: 16, count: 4), height: Int(bigEndian: start, at: 20, count: 4),
                        channels: colourType == 0 || colourType == 4 ? 1 : 3)
        }
        guard start.starts(with: [0xFF, 0xD8]) else { return nil }
        var offset: Int64 = 2
        for _ in 0..<maximumSegments {
            guard let marker = read(descriptor, at: offset, count: 4), marker[0] == 0xFF else { return nil }
            let code = marker[1]
            if code == 0xFF { offset += 1; continue }  // fill byte
            if code == 0x01 || (0xD0...0xD7).contains(code) { offset += 2; continue }  // markers without a length
            if code == 0xDA || code == 0xD9 { return nil }  // scan data or the end before any frame header
            let length = Int64(Int(bigEndian: marker, at: 2, count: 2))
            guard length >= 2 else { return nil }
            // Start of frame: every SOFn except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(code) && ![0xC4, 0xC8, 0xCC].contains(code) {
                guard let frame = read(descriptor, at: offset + 4, count: 6) else { return nil }
                return Size(width: Int(bigEndian: frame, at: 3, count: 2), height: Int(bigEndian: frame, at: 1, count: 2),
                            channels: frame[5] == 1 ? 1 : 3)
            }
            offset += 2 + length
        }
        return nil
    }

    private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return got == count ? bytes : nil
    }
}

extension Int {
    /// The unsigned big-endian number in `count` bytes of `bytes` from `offset`.
    fileprivate init(bigEndian bytes: [UInt8], at offset: Int, count: Int) {
        self = bytes[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
    }
}
