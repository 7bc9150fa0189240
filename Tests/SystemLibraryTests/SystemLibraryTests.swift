import CJPEG
import CPNG
import CSecp256k1
import Testing

/// The system-library targets link the Debian libraries the later modules build on.
@Suite("System libraries")
struct SystemLibraryTests {
    @Test("libpng 1.6 is linked")
    func libpng() {
        let version = png_access_version_number()
        #expect(version >= 10_600 && version < 10_700)
    }

    @Test("libjpeg-turbo with the libjpeg 6.2 API is linked")
    func libjpeg() {
        #expect(cjpeg_lib_version() == 62)
        #expect(cjpeg_turbo_version_number() >= 2_000_000)
        var cinfo = jpeg_decompress_struct()
        var errorManager = jpeg_error_mgr()
        cinfo.err = jpeg_std_error(&errorManager)
        cjpeg_create_decompress(&cinfo)
        #expect(cinfo.global_state != 0)
        jpeg_destroy_decompress(&cinfo)
    }

    @Test("libsecp256k1 derives the public key of secret key 1 as the generator point")
    func secp256k1() throws {
        let context = try #require(secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)))
        defer { secp256k1_context_destroy(context) }
        var secret = [UInt8](repeating: 0, count: 32)
        secret[31] = 1
        var publicKey = secp256k1_pubkey()
        #expect(secp256k1_ec_pubkey_create(context, &publicKey, secret) == 1)
        var serialized = [UInt8](repeating: 0, count: 33)
        var length = 33
        secp256k1_ec_pubkey_serialize(context, &serialized, &length, &publicKey, UInt32(SECP256K1_EC_COMPRESSED))
        let hex = serialized.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    }
}
