import Vision

extension FuzzTarget {
    /// A PNG file, analysed as the quality check analyses every image: header read first, memory reserved, decoded
    /// (libpng), hashed (PDQ) and measured.
    static let png = FuzzTarget(name: "png", summary: "a PNG image file") { input in analyse(input, as: "image.png") }

    /// A JPEG file, analysed the same way (libjpeg-turbo).
    static let jpeg = FuzzTarget(name: "jpeg", summary: "a JPEG image file") { input in analyse(input, as: "image.jpg") }

    /// The budgets are small so that the fuzzer spends its time on the decoders' logic, not on large pixel buffers:
    /// 4 megapixels, 64 MiB for the whole analysis.
    private static func analyse(_ input: [UInt8], as name: String) -> Outcome {
        let folder = ScratchFolder.fresh("image")
        folder.write(name, input)
        let memory = DecodingBudget(memoryBytes: 64 << 20)
        let analyzer = ImageAnalyzer(decoder: ImageDecoder(pixelBudget: 1 << 22), memory: memory)
        let summary = analyzer.analyze(file: folder.path + "/" + name, path: name)
        require(memory.reserved == 0, "the analysis did not give back its memory reservation")
        guard summary.isDecoded, let header = summary.header else {
            require(summary.failure != nil, "an image neither decoded nor refused")
            return .refused
        }
        require(header.width > 0 && header.height > 0, "a decoded image of \(header.width)×\(header.height)")
        require(header.width * header.height <= 1 << 22, "a decoded image over the pixel budget")
        require(summary.pdq != nil && summary.pdqVariants.count == 7, "a decoded image without its PDQ hashes")
        return .accepted
    }
}
