#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let retmplVersion = "0.1.0-dev"

let topLevelUsage = """
    Usage: retmpl [flags]              run the daemon (consul-template's flags)
           retmpl COMMAND [flags] ARGS

    Commands:
      render   render one template once (offline with -snapshot) and print it
      check    parse templates and report every error with its location
      validate lint -config files, flags and their templates without starting
      snapshot capture what templates read from Consul into a snapshot file
      version  print the version

    Run "retmpl COMMAND -h" for a command's flags.

    """

/// Raw writes to the standard streams (rendered output is bytes, not text).
enum Console {
    static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { p in Glibc.write(fd, p.baseAddress, p.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
    static func out(_ bytes: [UInt8]) { write(bytes, to: 1) }
    static func out(_ s: String) { write(Array(s.utf8), to: 1) }
    static func err(_ s: String) { write(Array(s.utf8), to: 2) }

    /// Reads a whole file; nil with a message when it cannot.
    static func readFile(_ path: String) -> Result<[UInt8], FileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(FileError(path: path, message: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileError(path: path, message: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        return .success(data)
    }
}

struct FileError: Error, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "\(path): \(message)" }
}
