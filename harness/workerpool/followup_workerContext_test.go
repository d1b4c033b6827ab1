// Follow-up: func workerContext(ctx context.Context, id int, jobs <-chan int,
// results chan<- int, wg *sync.WaitGroup) behaves like worker and also stops
// promptly when ctx is cancelled, even with jobs still open.
package solution_test

import (
	"context"
	"fmt"
	"slices"
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

func wpStartContext(t *testing.T, ctx context.Context, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{} {
	return wpGo(t, ids, func(id int) { workerContext(ctx, id, jobs, results, wg) })
}

// Without cancellation workerContext does what worker does: every job
// doubled, in order, return when jobs is closed, wg.Done() once.
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
