#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import RetmplRuntime

/// A fresh directory under /tmp, removed by the caller.
private func scratchDirectory() -> String {
    var template = Array("/tmp/retmpl-writer-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buf -> String in
        guard let base = buf.baseAddress, mkdtemp(base) != nil else { return "/tmp/retmpl-writer-fallback-\(getpid())" }
        return String(cString: base)
    }
    mkdir(path, 0o755)
    return path
}

private func mode(_ path: String) -> UInt32 {
    var st = stat()
    stat(path, &st)
    return UInt32(st.st_mode & 0o7777)
}

private func inode(_ path: String) -> UInt64 {
    var st = stat()
    stat(path, &st)
    return UInt64(st.st_ino)
}

private func entries(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

private func removeTree(_ dir: String) {
    for name in entries(dir) { unlink(dir + "/" + name) }
    rmdir(dir)
}

@Suite struct AtomicFileWriterTests {
    let writer = AtomicFileWriter()

    @Test func writesNewFileWithDefaultModeAndNoLeftovers() throws {
        let dir = scratchDirectory()
        defer { removeTree(dir) }
        let path = dir + "/haproxy.cfg"
        #expect(try writer.write(Array("a\n".utf8), to: path) == .replaced)
        #expect(AtomicFileWriter.read(path) == Array("a\n".utf8))
        #expect(mode(path) == 0o644)
        #expect(entries(dir) == ["haproxy.cfg"])
    }

    @Test func unchangedContentIsNotRewritten() throws {
        let dir = scratchDirectory()
        defer { removeTree(dir) }
        let path = dir + "/x.conf"
        _ = try writer.write(Array("same".utf8), to: path)
        let before = inode(path)
        #expect(try writer.write(Array("same".utf8), to: path) == .unchanged)
        #expect(inode(path) == before)
        #expect(try writer.write(Array("new".utf8), to: path) == .replaced)
        #expect(inode(path) != before)
    }

    @Test func keepsExistingModeUnlessPermissionsGiven() throws {
        let dir = scratchDirectory()
        defer { removeTree(dir) }
        let path = dir + "/secret.env"
        _ = try writer.write(Array("1".utf8), to: path)
        chmod(path, 0o600)
        _ = try writer.write(Array("2".utf8), to: path)
        #expect(mode(path) == 0o600)
        _ = try writer.write(Array("3".utf8), to: path, options: .init(permissions: 0o640))
        #expect(mode(path) == 0o640)
    }

    @Test func createsParentDirectoriesAndBackup() throws {
        let dir = scratchDirectory()
        defer {
            removeTree(dir + "/a/b")
            rmdir(dir + "/a")
            removeTree(dir)
        }
        let path = dir + "/a/b/site.conf"
        _ = try writer.write(Array("v1".utf8), to: path, options: .init(backup: true))
        _ = try writer.write(Array("v2".utf8), to: path, options: .init(backup: true))
        #expect(AtomicFileWriter.read(path) == Array("v2".utf8))
        #expect(AtomicFileWriter.read(path + ".bak") == Array("v1".utf8))
    }

    @Test func stagedCandidateIsHiddenUntilCommitted() throws {
        let dir = scratchDirectory()
        defer { removeTree(dir) }
        let path = dir + "/nginx.conf"
        _ = try writer.write(Array("live".utf8), to: path)
        let candidate = try writer.stage(Array("candidate".utf8), for: path)
        #expect(AtomicFileWriter.baseName(of: candidate.path).hasPrefix("."))
        #expect(AtomicFileWriter.read(path) == Array("live".utf8))
        writer.discard(candidate)
        #expect(entries(dir) == ["nginx.conf"])
        let second = try writer.stage(Array("next".utf8), for: path)
        #expect(try writer.commit(second) == .replaced)
        #expect(AtomicFileWriter.read(path) == Array("next".utf8))
    }

    @Test func failureLeavesTheLiveFileUntouched() throws {
        let dir = scratchDirectory()
        defer { removeTree(dir) }
        // The parent "directory" is a regular file: no temp file can be made there.
        let blocker = dir + "/not-a-dir"
        _ = try writer.write(Array("x".utf8), to: blocker)
        #expect(throws: AtomicFileWriter.WriteError.self) {
            try writer.write(Array("y".utf8), to: blocker + "/child.conf", options: .init(createDirectories: false))
        }
        #expect(AtomicFileWriter.read(blocker) == Array("x".utf8))
        #expect(entries(dir) == ["not-a-dir"])
    }
}

@Suite("AtomicFileWriter leftovers and long names")
struct AtomicFileWriterLeftoverTests {
    @Test func staleCandidatesOfDeadWritersAreRemovedLiveOnesKept() throws {
        let dir = scratchDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let destination = dir + "/out.txt"
        // pid 4194304 is above Linux's pid_max: never a live process.
        let dead = dir + "/.out.txt.retmpl-4194304-77-0"
        let live = dir + "/.out.txt.retmpl-\(getpid())-77-0"
        let other = dir + "/.other.txt.retmpl-4194304-77-0"
        for path in [dead, live, other] { FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)) }
        #expect(AtomicFileWriter().removeStaleCandidates(of: destination) == 1)
        #expect(entries(dir) == [".other.txt.retmpl-4194304-77-0", ".out.txt.retmpl-\(getpid())-77-0"])
    }

    @Test func destinationWithALongNameIsWritten() throws {
        let dir = scratchDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let destination = dir + "/" + String(repeating: "n", count: 250)
        #expect(try AtomicFileWriter().write(Array("x".utf8), to: destination) == .replaced)
        #expect(entries(dir) == [String(repeating: "n", count: 250)])
    }
}

/// Needs root (the CI machine runs as root): fails, never skips, without it.
@Suite("AtomicFileWriter as root", .serialized)
struct AtomicFileWriterRootTests {
    @Test func singleFileBindMountFallsBackToAnInPlaceWrite() throws {
        try #require(getuid() == 0, "this test needs root to bind-mount a file")
        let dir = scratchDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/mounted-from", destination = dir + "/haproxy.cfg"
        FileManager.default.createFile(atPath: source, contents: Data("old\n".utf8))
        FileManager.default.createFile(atPath: destination, contents: Data("hidden\n".utf8))
        try #require(mount(source, destination, nil, UInt(MS_BIND), nil) == 0, "mount --bind failed: errno \(errno)")
        defer { umount(destination) }
        let outcome = try AtomicFileWriter().write(Array("new\n".utf8), to: destination)
        #expect(outcome == .writtenInPlace)
        #expect(FileManager.default.contents(atPath: destination) == Data("new\n".utf8))
        // The bind mount shows the mounted file: that is what was written.
        #expect(FileManager.default.contents(atPath: source) == Data("new\n".utf8))
        #expect(entries(dir) == ["haproxy.cfg", "mounted-from"])
    }

    @Test func ownerAndGroupAreSetBeforeTheRename() throws {
        try #require(getuid() == 0, "this test needs root to chown")
        let dir = scratchDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let destination = dir + "/out.conf"
        _ = try AtomicFileWriter().write(Array("x".utf8), to: destination, options: .init(permissions: 0o640, owner: 1234, group: 5678))
        var st = stat()
        #expect(stat(destination, &st) == 0)
        #expect(st.st_uid == 1234 && st.st_gid == 5678)
        #expect(mode(destination) == 0o640)
        // A later write keeps the existing owner.
        _ = try AtomicFileWriter().write(Array("y".utf8), to: destination)
        #expect(stat(destination, &st) == 0)
        #expect(st.st_uid == 1234 && st.st_gid == 5678)
    }
}
