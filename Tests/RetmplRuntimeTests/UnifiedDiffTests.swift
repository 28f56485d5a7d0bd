import RetmplRuntime
import Testing

/// `-dry -diff`: hunks exactly as GNU `diff -u` prints them (expected
/// outputs below were produced by `diff -u`).
@Suite struct UnifiedDiffTests {
    struct Case: Sendable, CustomStringConvertible {
        let old: String
        let new: String
        let hunks: String
        var description: String { hunks.split(separator: "\n").first.map(String.init) ?? "equal" }
    }

    @Test(arguments: [
        Case(old: (1...16).map { "\($0)\n" }.joined(),
             new: "1\n2\n3\n4\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n13\n15\n16\nend\n",
             hunks: "@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+four\n 5\n 6\n 7\n@@ -11,6 +12,6 @@\n 11\n 12\n 13\n-14\n 15\n 16\n+end\n"),
        Case(old: "x\n", new: "", hunks: "@@ -1 +0,0 @@\n-x\n"),
        Case(old: "", new: "y\nz\n", hunks: "@@ -0,0 +1,2 @@\n+y\n+z\n"),
        Case(old: "a\nb\nc\nd\ne\nf\ng\nh\n", new: "a\nb\nC\nd\ne\nf\ng\nh\nx\n",
             hunks: "@@ -1,8 +1,9 @@\n a\n b\n-c\n+C\n d\n e\n f\n g\n h\n+x\n"),
        Case(old: "same\n", new: "same\n", hunks: ""),
    ])
    func matchesDiffU(_ c: Case) {
        let diff = UnifiedDiff.diff(old: c.old, new: c.new, oldName: "live", newName: "rendered")
        if c.hunks.isEmpty {
            #expect(diff == "")
        } else {
            #expect(diff == "--- live\n+++ rendered\n" + c.hunks)
        }
    }
}
