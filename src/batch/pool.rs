//! A fixed number of worker threads taking items from a shared list in
//! order: how `grade --jobs` and `batch --jobs` run submissions side by side.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Calls `work(index, item)` for every item, on at most `jobs` threads at
/// once; returns when all are done.
pub fn for_each<T: Sync>(items: &[T], jobs: usize, work: impl Fn(usize, &T) + Sync) {
    let next = AtomicUsize::new(0);
    let threads = jobs.clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(index) else { break };
                    work(index, item);
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    #[test]
    fn every_item_once() {
        let seen = Mutex::new(Vec::new());
        let items: Vec<u32> = (0..50).collect();
        super::for_each(&items, 4, |i, item| {
            assert_eq!(i as u32, *item);
            seen.lock().unwrap().push(*item);
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, items);
    }
}
