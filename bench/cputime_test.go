//go:build linux

package bench

import (
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/extlink/extlink"
)

// TestTalkCPUTime measures what BenchmarkTalk measures for extlink at 1,000
// and 1,000,000 users, for comparing two builds on a machine shared with
// other jobs: it builds each directory once and then takes
// EXTLINK_TALK_ROUNDS samples (default 4), each 2,000,000 decisions (at
// 1,000 users 5,000,000) followed by 1,000,000 dependent loads through
// 128 MB, all timed in the thread's CPU time, so that time spent
// descheduled does not count. Run two builds' test binaries in turn,
// several times, and compare the medians:
//
//	EXTLINK_TALK_CPUTIME=1 ./bench.test -test.run TalkCPUTime -test.v
//
// It is skipped unless EXTLINK_TALK_CPUTIME=1.
func TestTalkCPUTime(t *testing.T) {
	if os.Getenv("EXTLINK_TALK_CPUTIME") != "1" {
		t.Skip("set EXTLINK_TALK_CPUTIME=1 to run")
	}
	rounds := 4
	if r, err := strconv.Atoi(os.Getenv("EXTLINK_TALK_ROUNDS")); err == nil && r > 0 {
		rounds = r
	}
	type line struct {
		next int32
		_    [60]byte
	}
	ls := make([]line, 128<<20/64)
	perm := rand.New(rand.NewPCG(1, 2)).Perm(len(ls))
	for i, p := range perm {
		ls[p].next = int32(perm[(i+1)%len(perm)])
	}
	latency := func(n int) float64 {
		p, start := int32(0), threadCPU()
		for range n {
			p = ls[p].next
		}
		sink = p
		return float64(threadCPU()-start) / float64(n)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, n := range []int{1_000, 1_000_000} {
		w := genWorld(n)
		qs := queries(t, w)
		d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		iters := 2_000_000
		if n < 100_000 {
			iters = 5_000_000
		}
		mask := len(qs) - 1
		var ns []float64
		for r := range rounds {
			allowed, start := 0, threadCPU()
			for i := range iters {
				q := &qs[i&mask]
				if extlink.CanTalk(d, q.from, q.to).Allowed {
					allowed++
				}
			}
			op := float64(threadCPU()-start) / float64(iters)
			ns = append(ns, op)
			lat := latency(1_000_000)
			t.Logf("users=%d round=%d %.1f ns/op, load 128MB %.1f ns, ratio %.2f, allowed %.4f, loadavg %s",
				n, r, op, lat, op/lat, float64(allowed)/float64(iters), loadavg())
		}
		slices.Sort(ns)
		t.Logf("users=%d median %.1f ns/op over %d rounds", n, ns[len(ns)/2], rounds)
	}
}

// threadCPU returns the calling thread's CPU time in nanoseconds.
func threadCPU() int64 {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// loadavg returns the first three fields of /proc/loadavg.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
