import Foundation

/// The 64×64 → 16×16 DCT of PDQ's reference: `B = D·A·Dᵀ` with `D[i][j] = √(2/64)·cos(π/128·(i+1)·(2j+1))`, the DC
/// row left out, summed in float in the reference's order.
enum PDQDCT {
    /// D, 16 rows of 64, computed in double and stored as float as the reference does.
    static let matrix: [Float] = {
        let scale = (2.0 / 64.0).squareRoot()
        var d = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                d[i * 64 + j] = Float(scale * cos(Double.pi / 2 / 64.0 * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return d
    }()

    static func dct64To16(_ a: [Float]) -> [Float] {
        let d = matrix
        var t = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 { sum += d[i * 64 + k] * a[k * 64 + j] }
                t[i * 64 + j] = sum
            }
        }
        var b = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 { sum += t[i * 64 + k] * d[j * 64 + k] }
                b[i * 16 + j] = sum
            }
        }
        return b
    }
}
