/// Go's path and white-space rules the `file` function applies to its argument.
public enum RegistryPaths {
    /// Go's `path/filepath.Clean` (Unix): `./a/../b` -> `b`, `` -> `.`.
    public static func clean(_ path: String) -> String { GoPath.clean(path) }

    /// Go's `strings.TrimSpace` (Unicode white space).
    public static func trimSpace(_ s: String) -> String { GoString.trimSpace(s) }
}
