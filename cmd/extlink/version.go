package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

var versionCmd = &command{
	name:     "version",
	synopsis: "",
	summary:  "print extlink's version and the revision it was built from",
	run:      runVersion,
	help: `Version prints the module versions of the command and of the extlink library
it was built with, the VCS revision (and its time, and "modified" when the
working tree had changes), and the Go version, from the build information
the Go toolchain records in the binary. extlink --version is the same.
A version of "(devel)" means a build from a checkout (go install
./cmd/extlink) rather than of a tagged module version; the revision then
says which commit, when the build recorded it.

Exit status: 0, or 2 for arguments.

Example:
  extlink version
`,
}

func runVersion(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, c.usage())
		return exitOK
	}
	if len(args) > 0 {
		return c.usageError(stderr, "unexpected arguments %q", args)
	}
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprint(stdout, versionText(bi, ok))
	return exitOK
}

// libraryPath is the extlink library's module path.
const libraryPath = "github.com/extlink/extlink"

// versionText describes the build bi: the command's module and version,
// the library's, the VCS revision and the Go version. ok false (a binary
// built without module support) gives "extlink (unknown)".
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "extlink (unknown version)\n"
	}
	var b strings.Builder
	ver := func(v string) string {
		if v == "" {
			return "(devel)"
		}
		return v
	}
	fmt.Fprintf(&b, "extlink %s\n", ver(bi.Main.Version))
	if bi.Main.Path != "" {
		fmt.Fprintf(&b, "  module:   %s %s\n", bi.Main.Path, ver(bi.Main.Version))
	}
	for _, d := range bi.Deps {
		if d.Path == libraryPath {
			v := ver(d.Version)
			if d.Replace != nil {
				v += " => " + d.Replace.Path + " " + d.Replace.Version
			}
			fmt.Fprintf(&b, "  library:  %s %s\n", d.Path, strings.TrimSpace(v))
		}
	}
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	if rev := set["vcs.revision"]; rev != "" {
		var extra []string
		if t := set["vcs.time"]; t != "" {
			extra = append(extra, t)
		}
		if set["vcs.modified"] == "true" {
			extra = append(extra, "modified")
		}
		fmt.Fprintf(&b, "  revision: %s", rev)
		if len(extra) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(extra, ", "))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("  revision: unknown (built without VCS information)\n")
	}
	if bi.GoVersion != "" {
		fmt.Fprintf(&b, "  go:       %s\n", bi.GoVersion)
	}
	return b.String()
}
