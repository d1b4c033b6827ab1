package solution_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gograde.local/solution/kit"
)

// runRetryContext calls RetryContext inside the current bubble.
func runRetryContext(t *testing.T, ctx context.Context, op *retryOp, attempts int) (err error, start, end time.Time, ok bool) {
	t.Helper()
	start = time.Now()
	ok = kit.Protect(t, func() { err = RetryContext(ctx, op.op, attempts) })
	end = time.Now()
	return err, start, end, ok
}

func TestFollowup_RetryContextCancelDuringWait(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			// Calls happen at 0s and after the first wait (1s..1.5s); the second
			// wait lasts at least 2s. Cancelling at 1.75s lands inside it.
			const cancelAt = 1750 * time.Millisecond
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			timer := time.AfterFunc(cancelAt, cancel)
			defer timer.Stop()
			op := newRetryOp(failUntil(0))
			err, start, end, ok := runRetryContext(t, ctx, op, 5)
			if !ok {
				return
			}
			elapsed := end.Sub(start)
			n := op.count()
			if elapsed < cancelAt {
				retryFail(t, fmt.Sprintf("RetryContext(ctx, op, 5) returned after %v with %d call(s), before the context was cancelled at %v", elapsed, n, cancelAt),
					"return at "+cancelAt.String(), elapsed.String())
				return
			}
			if late := elapsed - cancelAt; late > 250*time.Millisecond {
				retryFail(t, fmt.Sprintf("the context was cancelled at %v, during a backoff wait, but RetryContext only returned %v later (after %d call(s)): it should stop waiting as soon as ctx is done", cancelAt, late, n),
					"return at "+cancelAt.String(), "return at "+elapsed.String())
			}
			if err == nil {
				retryFail(t, "RetryContext returned nil after the context was cancelled", "an error wrapping context.Canceled", "nil")
			} else if !errors.Is(err, context.Canceled) {
				retryFail(t, "after cancellation, the returned error must satisfy errors.Is(err, context.Canceled) (return ctx.Err(), or wrap it with %w)",
					"an error wrapping context.Canceled", errText(err))
			}
		})
	})
}

func TestFollowup_RetryContextAlreadyCancelled(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			op := newRetryOp(failUntil(0))
			err, start, end, ok := runRetryContext(t, ctx, op, 5)
			if !ok {
				return
			}
			// Calling the operation once before noticing is acceptable; waiting
			// or retrying is not.
			if n := op.count(); n > 1 {
				retryFail(t, "RetryContext with an already-cancelled context kept retrying the operation (at most one call is acceptable)", "0 or 1 call(s)", fmt.Sprintf("%d calls", n))
			}
			if d := end.Sub(start); d != 0 {
				retryFail(t, "RetryContext with an already-cancelled context waited before returning", "0s", d.String())
			}
			if err == nil {
				retryFail(t, "RetryContext returned nil with an already-cancelled context and a failing operation", "an error wrapping context.Canceled", "nil")
			} else if !errors.Is(err, context.Canceled) {
				retryFail(t, "with a cancelled context the returned error must satisfy errors.Is(err, context.Canceled)",
					"an error wrapping context.Canceled", errText(err))
			}
		})
	})
}

func TestFollowup_RetryContextNoCancel(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			const what = "RetryContext(context.Background(), op, 5)"
			op := newRetryOp(failUntil(0))
			err, _, _, ok := runRetryContext(t, context.Background(), op, 5)
			if !ok {
				return
			}
			if n := op.count(); n != 5 {
				kit.FailValues(t, "RetryContext(context.Background(), op, 5) with an operation that always fails must call it exactly 5 times", 5, n)
			}
			scheduleOK := checkSchedule(t, what, op.times(), 4)
			if last := op.lastErr(); err == nil {
				retryFail(t, "RetryContext returned nil although every call failed", "a non-nil error", "nil")
			} else if last != nil && !errors.Is(err, last) {
				retryFail(t, "RetryContext's error after exhaustion does not wrap the last error the operation returned",
					fmt.Sprintf("an error wrapping %q", last.Error()), errText(err))
			}
			if !scheduleOK {
				return
			}
			// One run is a weak sample of a jittered schedule: measure more runs.
			repeatSchedule(t, func() string { return what }, 2, 4, func() ([]time.Time, bool) {
				op := newRetryOp(failUntil(0))
				_, _, _, ok := runRetryContext(t, context.Background(), op, 5)
				return op.times(), ok
			})
		})
	})
}
