import CDeflate

/// Writes PNG files of every kind the format has — each colour type and bit depth, palettes with transparency,
/// Adam7 — with a chosen filter per row and the image data split over chunks, to compare decoders on. A test
/// instrument, not an encoder for the product (which writes only 8-bit grey and RGB, through libpng).
struct TestPNGWriter {
    var width: Int
    var height: Int
    var bitDepth: Int
    /// PNG's colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    var colourType: UInt8
    var interlaced = false
    /// RGB triples, for colour type 3.
    var palette: [UInt8] = []
    /// A tRNS chunk's data, if any.
    var transparency: [UInt8]?
    /// The most image-data bytes per IDAT chunk.
    var chunkSize = 8192
    /// The filter type (0…4) of each row, by its index in the file.
    var filter: (Int) -> UInt8 = { UInt8($0 % 5) }

    var samplesPerPixel: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]! }

    /// The file for `samples` (width × height × samplesPerPixel values below 2^bitDepth, row-major).
    func encode(_ samples: [UInt16]) -> [UInt8] {
        var raw: [UInt8] = []
        var rowNumber = 0
        let passes: [(x: Int, y: Int, dx: Int, dy: Int)] =
            interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        for pass in passes {
            let columns = Array(stride(from: pass.x, to: width, by: pass.dx))
            let rows = Array(stride(from: pass.y, to: height, by: pass.dy))
            guard !columns.isEmpty, !rows.isEmpty else { continue }
            var previous = [UInt8](repeating: 0, count: rowBytes(columns.count))
            for y in rows {
                let row = pack(columns.flatMap { x in
                    (0..<samplesPerPixel).map { samples[(y * width + x) * samplesPerPixel + $0] }
                })
                let type = filter(rowNumber)
                raw.append(type)
                raw.append(contentsOf: Self.filtered(row, previous: previous, type: type, distance: max(1, samplesPerPixel * bitDepth / 8)))
                previous = row
                rowNumber += 1
            }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        Self.chunk("IHDR", Self.bigEndian(width) + Self.bigEndian(height) + [UInt8(bitDepth), colourType, 0, 0, interlaced ? 1 : 0], into: &file)
        if colourType == 3 { Self.chunk("PLTE", palette, into: &file) }
        if let transparency { Self.chunk("tRNS", transparency, into: &file) }
        let stream = Self.zlib(raw)
        for start in stride(from: 0, to: stream.count, by: chunkSize) {
            Self.chunk("IDAT", Array(stream[start..<min(stream.count, start + chunkSize)]), into: &file)
        }
        Self.chunk("IEND", [], into: &file)
        return file
    }

    private func rowBytes(_ pixels: Int) -> Int { (pixels * samplesPerPixel * bitDepth + 7) / 8 }

    /// Samples packed as the bit depth stores them: several to a byte (first in the high bits), one, or two
    /// big-endian bytes each.
    private func pack(_ values: [UInt16]) -> [UInt8] {
        switch bitDepth {
        case 8: return values.map { UInt8($0) }
        case 16: return values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        default:
            var bytes = [UInt8](repeating: 0, count: (values.count * bitDepth + 7) / 8)
            for (index, value) in values.enumerated() {
                let bit = index * bitDepth
                bytes[bit / 8] |= UInt8(value) << (8 - bitDepth - bit % 8)
            }
            return bytes
        }
    }

    static func filtered(_ row: [UInt8], previous: [UInt8], type: UInt8, distance: Int) -> [UInt8] {
        row.indices.map { index in
            let left = index >= distance ? row[index - distance] : 0
            let above = previous[index]
            let upperLeft = index >= distance ? previous[index - distance] : 0
            let prediction: UInt8 =
                switch type {
                case 1: left
                case 2: above
                case 3: UInt8((Int(left) + Int(above)) / 2)
                case 4: paeth(left, above, upperLeft)
                default: 0
                }
            return row[index] &- prediction
        }
    }

    /// Paeth's predictor as the specification writes it.
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
    }

    static func zlib(_ bytes: [UInt8]) -> [UInt8] {
        let compressor = libdeflate_alloc_compressor(6)!
        defer { libdeflate_free_compressor(compressor) }
        let bound = libdeflate_zlib_compress_bound(compressor, bytes.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { libdeflate_zlib_compress(compressor, $0.baseAddress, $0.count, out.baseAddress, bound) }
        }
        return Array(output.prefix(written))
    }

    static func chunk(_ type: String, _ data: [UInt8], into file: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        file += bigEndian(data.count) + typed
        file += bigEndian(Int(typed.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }))
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
