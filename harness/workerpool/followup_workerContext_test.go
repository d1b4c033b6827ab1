// Follow-up: func workerContext(ctx context.Context, id int, jobs <-chan int,
// results chan<- int, wg *sync.WaitGroup) behaves like worker and also stops
// promptly when ctx is cancelled, even with jobs still open.
package solution

import (
	ggcontext "context"
	ggfmt "fmt"
	ggslices "slices"
	ggsync "sync"
	ggtesting "testing"
	ggsynctest "testing/synctest"
	ggtime "time"
)

// ggWPPrompt is how much virtual time a cancelled workerContext may take to
// return (generous: a worker that polls ctx every second still passes).
const ggWPPrompt = 2 * ggtime.Second

const ggWPHintCancel = "How would you stop workers on error? What if nobody reads results any more?"

func ggWPStartContext(t *ggtesting.T, ctx ggcontext.Context, ids []int, jobs chan int, results chan int, wg *ggsync.WaitGroup) <-chan struct{} {
	return ggWPGo(t, ids, func(id int) { workerContext(ctx, id, jobs, results, wg) })
}

// Without cancellation workerContext does what worker does: every job
// doubled, in order, return when jobs is closed, wg.Done() once.
func TestFollowup_ContextProcessesJobs(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		ctx, cancel := ggcontext.WithCancel(ggcontext.Background())
		defer cancel()
		in := []int{7, 3, 0, -2, 11, 5, 8, 13}
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(1)
		returned := ggWPStartContext(t, ctx, []int{1}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		got, ok := ggWPCollect(t, jobs, in, results, returned)
		if !ok {
			ggWPSettle(results, returned)
			return
		}
		if want := ggWPDoubled(in); !ggslices.Equal(got, want) {
			ggFailValues(t, "without cancellation workerContext must send job*2 for every job, in order", want, got)
		}
		if !ggWPSettle(results, returned) {
			ggFail(t, "workerContext had not returned an hour (virtual time) after jobs was closed and emptied")
			return
		}
		ggsynctest.Wait()
		select {
		case <-waited:
		default:
			ggReport(t, ggFailure{Message: "workerContext returned without calling wg.Done()", Hint: ggWPHintDone})
		}
	})
}

// Cancelled while idle, with jobs still open and empty: the worker returns
// promptly, sends nothing, and calls wg.Done().
func TestFollowup_ContextCancelWhileIdle(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		ctx, cancel := ggcontext.WithCancel(ggcontext.Background())
		defer cancel()
		in := []int{1, 2}
		jobs := ggWPJobs(in, false)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(1)
		returned := ggWPStartContext(t, ctx, []int{1}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { close(jobs); ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		if _, ok := ggWPCollect(t, jobs, in, results, returned); !ok {
			return
		}
		ggtime.Sleep(ggtime.Minute) // the worker is now idle, waiting for a job
		cancel()
		select {
		case <-returned:
		case v := <-results:
			ggFail(t, "workerContext sent a result (%d) after ctx was cancelled, with no job given", v)
			return
		case <-ggtime.After(ggWPPrompt):
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("workerContext was still waiting for jobs %v (virtual time) after ctx "+
				"was cancelled: with jobs open it must also watch ctx.Done()", ggWPPrompt), Hint: ggWPHintCancel})
			return
		}
		ggsynctest.Wait()
		select {
		case <-waited:
		default:
			ggReport(t, ggFailure{Message: "workerContext returned on cancellation without calling wg.Done(): " +
				"wg.Wait() would block forever", Hint: ggWPHintDone})
		}
	})
}

// Cancelled while blocked sending a result nobody reads (the consumer gave up
// after an error): the worker returns promptly and calls wg.Done().
func TestFollowup_ContextCancelWhileSending(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		ctx, cancel := ggcontext.WithCancel(ggcontext.Background())
		defer cancel()
		jobs := ggWPJobs([]int{1, 2, 3}, false)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(1)
		returned := ggWPStartContext(t, ctx, []int{1}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { close(jobs); ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		ggtime.Sleep(ggtime.Minute) // nobody reads results: the worker is blocked sending
		cancel()
		select {
		case <-returned:
		case <-ggtime.After(ggWPPrompt):
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("workerContext was still blocked %v (virtual time) after ctx was "+
				"cancelled, trying to send a result nobody reads: the send must also watch ctx.Done()", ggWPPrompt),
				Hint: ggWPHintCancel})
			return
		}
		ggsynctest.Wait()
		select {
		case <-waited:
		default:
			ggReport(t, ggFailure{Message: "workerContext returned on cancellation without calling wg.Done(): " +
				"wg.Wait() would block forever", Hint: ggWPHintDone})
		}
	})
}
