package main

import "io"

// runBatch answers check -batch's questions.
func runBatch(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	return o.cmd.usageError(stderr, "-batch is not built yet")
}
