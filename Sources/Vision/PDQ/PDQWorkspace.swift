#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two image-sized float buffers PDQ needs (the luma and the Jarosz filter's scratch), kept from one image to
/// the next on each thread: allocating and faulting in 8 bytes a pixel afresh for every image cost more than a
/// tenth of a check. Buffers for images above ``retainedLimit`` pixels are freed once the image is hashed, so a
/// thread keeps at most 32 MiB between images.
final class PDQWorkspace {
    private var luma: UnsafeMutablePointer<Float>?
    private var scratch: UnsafeMutablePointer<Float>?
    private var capacity = 0

    /// Pixels whose buffers are kept between images (2 × 16 MiB).
    static let retainedLimit = 1 << 22

    /// Buffers of at least `count` floats each, valid until ``finished()``; their contents are undefined.
    func buffers(count: Int) -> (luma: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        if count > capacity {
            free()
            luma = .allocate(capacity: count)
            scratch = .allocate(capacity: count)
            capacity = count
        }
        return (luma!, scratch!)
    }

    /// Gives large buffers back once an image is hashed.
    func finished() {
        if capacity > Self.retainedLimit { free() }
    }

    private func free() {
        luma?.deallocate()
        scratch?.deallocate()
        luma = nil
        scratch = nil
        capacity = 0
    }

    deinit { free() }

    /// This thread's workspace (made on first use, released when the thread ends).
    static var current: PDQWorkspace {
        if let raw = pthread_getspecific(workspaceKey) {
            return Unmanaged<PDQWorkspace>.fromOpaque(raw).takeUnretainedValue()
        }
        let workspace = PDQWorkspace()
        pthread_setspecific(workspaceKey, Unmanaged.passRetained(workspace).toOpaque())
        return workspace
    }
}

private let workspaceKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<PDQWorkspace>.fromOpaque(raw).release()
    }
    return key
}()
