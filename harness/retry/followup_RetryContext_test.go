package solution

import (
	ggcontext "context"
	ggerrors "errors"
	ggfmt "fmt"
	ggtesting "testing"
	ggtime "time"
)

// ggRunRetryContext calls RetryContext inside the current bubble.
func ggRunRetryContext(t *ggtesting.T, ctx ggcontext.Context, op *ggRetryOp, attempts int) (err error, start, end ggtime.Time, ok bool) {
	t.Helper()
	start = ggtime.Now()
	ok = ggProtect(t, func() { err = RetryContext(ctx, op.op, attempts) })
	end = ggtime.Now()
	return err, start, end, ok
}

func TestFollowup_RetryContextCancelDuringWait(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		// Calls happen at 0s and after the first wait (1s..1.5s); the second
		// wait lasts at least 2s. Cancelling at 1.75s lands inside it.
		const cancelAt = 1750 * ggtime.Millisecond
		ctx, cancel := ggcontext.WithCancel(ggcontext.Background())
		defer cancel()
		timer := ggtime.AfterFunc(cancelAt, cancel)
		defer timer.Stop()
		op := ggNewRetryOp(ggFailUntil(0))
		err, start, end, ok := ggRunRetryContext(t, ctx, op, 5)
		if !ok {
			return
		}
		elapsed := end.Sub(start)
		n := op.count()
		if elapsed < cancelAt {
			ggRetryFail(t, ggfmt.Sprintf("RetryContext(ctx, op, 5) returned after %v with %d call(s), before the context was cancelled at %v", elapsed, n, cancelAt),
				"return at "+cancelAt.String(), elapsed.String())
			return
		}
		if late := elapsed - cancelAt; late > 250*ggtime.Millisecond {
			ggRetryFail(t, ggfmt.Sprintf("the context was cancelled at %v, during a backoff wait, but RetryContext only returned %v later (after %d call(s)): it should stop waiting as soon as ctx is done", cancelAt, late, n),
				"return at "+cancelAt.String(), "return at "+elapsed.String())
		}
		if err == nil {
			ggRetryFail(t, "RetryContext returned nil after the context was cancelled", "an error wrapping context.Canceled", "nil")
		} else if !ggerrors.Is(err, ggcontext.Canceled) {
			ggRetryFail(t, "after cancellation, the returned error must satisfy errors.Is(err, context.Canceled) (return ctx.Err(), or wrap it with %w)",
				"an error wrapping context.Canceled", ggErrText(err))
		}
	})
}

func TestFollowup_RetryContextAlreadyCancelled(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		ctx, cancel := ggcontext.WithCancel(ggcontext.Background())
		cancel()
		op := ggNewRetryOp(ggFailUntil(0))
		err, start, end, ok := ggRunRetryContext(t, ctx, op, 5)
		if !ok {
			return
		}
		// Calling the operation once before noticing is acceptable; waiting
		// or retrying is not.
		if n := op.count(); n > 1 {
			ggRetryFail(t, "RetryContext with an already-cancelled context kept retrying the operation (at most one call is acceptable)", "0 or 1 call(s)", ggfmt.Sprintf("%d calls", n))
		}
		if d := end.Sub(start); d != 0 {
			ggRetryFail(t, "RetryContext with an already-cancelled context waited before returning", "0s", d.String())
		}
		if err == nil {
			ggRetryFail(t, "RetryContext returned nil with an already-cancelled context and a failing operation", "an error wrapping context.Canceled", "nil")
		} else if !ggerrors.Is(err, ggcontext.Canceled) {
			ggRetryFail(t, "with a cancelled context the returned error must satisfy errors.Is(err, context.Canceled)",
				"an error wrapping context.Canceled", ggErrText(err))
		}
	})
}

func TestFollowup_RetryContextNoCancel(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		const what = "RetryContext(context.Background(), op, 5)"
		op := ggNewRetryOp(ggFailUntil(0))
		err, _, _, ok := ggRunRetryContext(t, ggcontext.Background(), op, 5)
		if !ok {
			return
		}
		if n := op.count(); n != 5 {
			ggFailValues(t, "RetryContext(context.Background(), op, 5) with an operation that always fails must call it exactly 5 times", 5, n)
		}
		scheduleOK := ggCheckSchedule(t, what, op.times(), 4)
		if last := op.lastErr(); err == nil {
			ggRetryFail(t, "RetryContext returned nil although every call failed", "a non-nil error", "nil")
		} else if last != nil && !ggerrors.Is(err, last) {
			ggRetryFail(t, "RetryContext's error after exhaustion does not wrap the last error the operation returned",
				ggfmt.Sprintf("an error wrapping %q", last.Error()), ggErrText(err))
		}
		if !scheduleOK {
			return
		}
		// One run is a weak sample of a jittered schedule: measure more runs.
		ggRepeatSchedule(t, what, 2, 4, func() ([]ggtime.Time, bool) {
			op := ggNewRetryOp(ggFailUntil(0))
			_, _, _, ok := ggRunRetryContext(t, ggcontext.Background(), op, 5)
			return op.times(), ok
		})
	})
}
