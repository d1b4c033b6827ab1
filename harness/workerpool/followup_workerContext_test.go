// Follow-up: func workerContext(ctx context.Context, id int, jobs <-chan int,
// results chan<- int, wg *sync.WaitGroup) behaves like worker and also stops
// promptly when ctx is cancelled, even with jobs still open.
package solution_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"gograde.local/solution/kit"
)

// wpPrompt is how much virtual time a cancelled workerContext may take to
// return (generous: a worker that polls ctx every second still passes).
const wpPrompt = 2 * time.Second

const wpHintCancel = "How would you stop workers on error? What if nobody reads results any more?"

const wpHintNoNewJob = "Once your worker has seen ctx.Done(), which of its selects could still take a job from jobs, given that select picks at random among ready cases?"

func wpStartContext(t *testing.T, ctx context.Context, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{} {
	return wpGo(t, ids, func(id int) { workerContext(ctx, id, jobs, results, wg) })
}

// Without cancellation workerContext does what worker does: every job
// doubled, in order, return when jobs is closed, wg.Done() once; and when
// jobs come one at a time, it waits for each.
func TestFollowup_ContextProcessesJobs(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := []int{7, 3, 0, -2, 11, 5, 8, 13}
			jobs := wpJobs(in, true)
			results := make(chan int)
			var wg sync.WaitGroup
			wg.Add(1)
			returned := wpStartContext(t, ctx, []int{1}, jobs, results, &wg)
			waited := wpWait(t, &wg)
			defer func() { wpSettle(results, returned); wpRelease(&wg, waited) }()
			got, ok := wpCollect(t, jobs, in, results, returned)
			if !ok {
				wpSettle(results, returned)
				return
			}
			if want := wpDoubled(in); !slices.Equal(got, want) {
				kit.FailValues(t, "without cancellation workerContext must send job*2 for every job, in order", want, got)
			}
			if !wpSettle(results, returned) {
				kit.Fail(t, "workerContext had not returned an hour (virtual time) after jobs was closed and emptied")
				return
			}
			synctest.Wait()
			select {
			case <-waited:
			default:
				kit.Report(t, kit.Failure{Message: "workerContext returned without calling wg.Done()", Hint: wpHintDone})
			}
		})
		if t.Failed() {
			return
		}
		// Then jobs one at a time on an unbuffered channel, with ctx never
		// cancelled: waiting for the next job must mean waiting on jobs and
		// ctx.Done() together, not giving up when no job is there yet.
		wpJobsOneAtATime(t, "workerContext", func(t *testing.T, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{} {
			ctx, cancel := context.WithCancel(context.Background())
			_ = cancel // never cancelled here
			return wpStartContext(t, ctx, ids, jobs, results, wg)
		})
	})
}

// Without cancellation, as for worker: wg.Wait() must not return before
// every result has been sent, so wg.Done() comes after the worker's last
// send (not first, not per job, not from a goroutine of its own).
func TestFollowup_ContextWaitAfterLastResult(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpWaitAfterLastResult(t, "workerContext", func(t *testing.T, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{} {
			// Made inside the bubble (its Done channel belongs to it) and
			// never cancelled here: cancelling is the other tests' subject.
			ctx, cancel := context.WithCancel(context.Background())
			_ = cancel
			return wpStartContext(t, ctx, ids, jobs, results, wg)
		})
	})
}

// Cancelled while idle, with jobs still open and empty: the worker returns
// promptly, sends nothing, and calls wg.Done().
func TestFollowup_ContextCancelWhileIdle(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := []int{1, 2}
			jobs := wpJobs(in, false)
			results := make(chan int)
			var wg sync.WaitGroup
			wg.Add(1)
			returned := wpStartContext(t, ctx, []int{1}, jobs, results, &wg)
			waited := wpWait(t, &wg)
			defer func() { close(jobs); wpSettle(results, returned); wpRelease(&wg, waited) }()
			if _, ok := wpCollect(t, jobs, in, results, returned); !ok {
				return
			}
			time.Sleep(time.Minute) // the worker is now idle, waiting for a job
			cancel()
			select {
			case <-returned:
			case v := <-results:
				kit.Fail(t, "workerContext sent a result (%d) after ctx was cancelled, with no job given", v)
				return
			case <-time.After(wpPrompt):
				kit.Report(t, kit.Failure{Message: fmt.Sprintf("workerContext was still waiting for jobs %v (virtual time) after ctx "+
					"was cancelled: with jobs open it must also watch ctx.Done()", wpPrompt), Hint: wpHintCancel})
				return
			}
			synctest.Wait()
			select {
			case <-waited:
			default:
				kit.Report(t, kit.Failure{Message: "workerContext returned on cancellation without calling wg.Done(): " +
					"wg.Wait() would block forever", Hint: wpHintDone})
			}
		})
	})
}

// Cancelled while blocked sending a result nobody reads (the consumer gave up
// after an error): the worker returns promptly and calls wg.Done().
func TestFollowup_ContextCancelWhileSending(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			jobs := wpJobs([]int{1, 2, 3}, false)
			results := make(chan int)
			var wg sync.WaitGroup
			wg.Add(1)
			returned := wpStartContext(t, ctx, []int{1}, jobs, results, &wg)
			waited := wpWait(t, &wg)
			defer func() { close(jobs); wpSettle(results, returned); wpRelease(&wg, waited) }()
			time.Sleep(time.Minute) // nobody reads results: the worker is blocked sending
			cancel()
			select {
			case <-returned:
			case <-time.After(wpPrompt):
				kit.Report(t, kit.Failure{Message: fmt.Sprintf("workerContext was still blocked %v (virtual time) after ctx was "+
					"cancelled, trying to send a result nobody reads: the send must also watch ctx.Done()", wpPrompt),
					Hint: wpHintCancel})
				return
			}
			synctest.Wait()
			select {
			case <-waited:
			default:
				kit.Report(t, kit.Failure{Message: "workerContext returned on cancellation without calling wg.Done(): " +
					"wg.Wait() would block forever", Hint: wpHintDone})
			}
		})
	})
}

// wpCancelRounds is how often TestFollowup_ContextNoJobAfterCancel plays its
// scene. A worker that sees the cancellation, drops its result and loops
// back to a select on ctx.Done() and jobs takes the next job only when that
// select happens to pick jobs (Go picks among ready cases at random, so half
// the time): over this many rounds it does so in one of them but for a
// chance of 2^-48. A correct worker takes no job in any round.
const wpCancelRounds = 48

// Cancelled while blocked sending a result nobody reads, with more jobs
// queued: ctx.Done() is the only case that can fire, so the worker has
// certainly seen the cancellation, and it must return without taking
// another job. (Had the consumer still been reading, delivering the result
// of the job in hand would have been fine: that job was taken before the
// cancellation.)
func TestFollowup_ContextNoJobAfterCancel(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		rng := kit.Rand(t)
		wpBubble(t, false, func(t *testing.T) {
			for round := 1; round <= wpCancelRounds; round++ {
				in, ids := wpDrawJobs(rng, 3+rng.IntN(6)), wpDrawIDs(rng, 1)
				if !wpNoJobAfterCancel(t, round, in, ids) {
					return
				}
			}
		})
	})
}

// wpNoJobAfterCancel plays one round of TestFollowup_ContextNoJobAfterCancel
// with jobs in (at least 3) and one worker; it reports whether the worker
// passed it.
func wpNoJobAfterCancel(t *testing.T, round int, in, ids []int) bool {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := wpJobs(in, false)
	results := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	returned := wpStartContext(t, ctx, ids, jobs, results, &wg)
	waited := wpWait(t, &wg)
	defer func() { close(jobs); wpSettle(results, returned); wpRelease(&wg, waited) }()
	note := fmt.Sprintf("\nround %d of %d: %s", round, wpCancelRounds, strings.TrimPrefix(wpDrawnNote(in, ids), "\n"))
	// The first result, received: the worker then takes the second job
	// and blocks sending its result, which nobody reads.
	if _, ok := wpCollect(t, jobs, in[:1], results, returned); !ok {
		return false
	}
	time.Sleep(time.Minute)
	queued := len(jobs)
	cancel()
	select {
	case <-returned:
	case <-time.After(wpPrompt):
		kit.Report(t, kit.Failure{Message: fmt.Sprintf("workerContext was still running %v (virtual time) after ctx was "+
			"cancelled while it was blocked sending a result nobody reads: the send must also watch ctx.Done()%s",
			wpPrompt, note), Hint: wpHintCancel})
		return false
	}
	if taken := queued - len(jobs); taken > 0 {
		kit.Report(t, kit.Failure{Message: fmt.Sprintf("workerContext took %d more job(s) from jobs after it had seen ctx "+
			"cancelled (while blocked sending a result nobody reads): once cancelled, a worker may finish the job in "+
			"hand but must not start another one%s", taken, note), Hint: wpHintNoNewJob})
		return false
	}
	return true
}
