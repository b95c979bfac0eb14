import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// CURVE keys in Z85 text (40 characters for a 32-byte key).
public enum ZeroMQCurve {
    /// A new random keypair.
    public static func keypair() throws(ZeroMQError) -> (publicKey: String, secretKey: String) {
        var publicKey = [CChar](repeating: 0, count: 41), secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else { throw .last("zmq_curve_keypair") }
        return (text(publicKey), text(secretKey))
    }

    /// The public key of a Z85 secret key.
    ///
    /// - Throws: `EINVAL` unless `secretKey` is 40 valid Z85 characters.
    public static func publicKey(secretKey: String) throws(ZeroMQError) -> String {
        guard secretKey.utf8.count == 40 else { throw ZeroMQError(operation: "CURVE secret key must be 40 Z85 characters", code: EINVAL) }
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secretKey) == 0 else { throw .last("zmq_curve_public") }
        return text(publicKey)
    }

    /// Whether libzmq was built with CURVE support.
    public static var isAvailable: Bool { zmq_has("curve") != 0 }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
