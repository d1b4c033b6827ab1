//! Admission of grades: at most `jobs` run at once and at most `queue` wait
//! behind them; past that a request is turned away at once (503), before
//! its body is read, so an overloaded server spends nothing on it.
//!
//! Not a tower concurrency layer: a grade's slot must outlive its request.
//! When a client disconnects its handler is dropped at once, but the grade's
//! process tree takes a moment to die; the slot travels into the blocking
//! task and is freed only when the grade has really stopped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The grading slots and the waiting room in front of them.
#[derive(Debug)]
pub struct Queue {
    slots: Arc<Semaphore>,
    jobs: usize,
    /// Requests admitted and not yet finished (waiting or running).
    admitted: AtomicUsize,
    running: AtomicUsize,
    capacity: usize,
}

/// A place in the queue: held from admission until the grade ends.
#[derive(Debug)]
pub struct Ticket {
    queue: Arc<Queue>,
}

/// A ticket that got a grading slot.
#[derive(Debug)]
pub struct Running {
    _permit: OwnedSemaphorePermit,
    ticket: Ticket,
}

impl Queue {
    /// `jobs` grades at once (at least one), `waiting` more queued.
    pub fn new(jobs: usize, waiting: usize) -> Arc<Queue> {
        let jobs = jobs.max(1);
        Arc::new(Queue {
            slots: Arc::new(Semaphore::new(jobs)),
            jobs,
            admitted: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            capacity: jobs + waiting,
        })
    }

    /// A place in the queue, or `None` when it is full.
    pub fn admit(self: &Arc<Queue>) -> Option<Ticket> {
        self.admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.capacity).then_some(n + 1)
            })
            .ok()
            .map(|_| Ticket {
                queue: Arc::clone(self),
            })
    }

    /// Grades running now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Requests admitted but not yet running (the queue depth).
    pub fn waiting(&self) -> usize {
        self.admitted
            .load(Ordering::SeqCst)
            .saturating_sub(self.running())
    }

    /// How many grades run at once.
    pub fn jobs(&self) -> usize {
        self.jobs
    }
}

impl Ticket {
    /// Waits for a grading slot.
    pub async fn start(self) -> Running {
        let permit = Arc::clone(&self.queue.slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        self.queue.running.fetch_add(1, Ordering::SeqCst);
        Running {
            _permit: permit,
            ticket: self,
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.queue.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.ticket.queue.running.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn admits_jobs_plus_waiting_then_refuses_until_one_ends() {
        let q = Queue::new(1, 1);
        let first = q.admit().expect("a free slot");
        let second = q.admit().expect("a place in the queue");
        assert!(q.admit().is_none(), "full: jobs 1 + waiting 1");
        let running = first.start().await;
        assert_eq!((q.running(), q.waiting()), (1, 1));
        drop(running);
        assert_eq!((q.running(), q.waiting()), (0, 1));
        let third = q.admit().expect("room again");
        drop((second, third));
        assert_eq!((q.running(), q.waiting()), (0, 0));
    }
}
