//! Grading many submissions at once, the one way every front door does it
//! (`batch`, and `grade` given several files): submissions are built in
//! groups by one go command each (`group`) on the calling thread, which
//! stays about one group ahead of `jobs` runner threads that run and judge
//! the previous group's binaries, each in its own sandbox.

use crate::batch::group;
use crate::grade::engine::Grade;
use crate::grade::options::GradeOptions;
use crate::grade::toolchain::Toolchain;
use crate::verdict::Verdict;

/// Grades every `(tag, grade)` of `grades` (drawn on the calling thread,
/// so drawing may itself report submissions that end early), giving each
/// verdict to `record` with its tag as soon as it is ready, from a runner
/// thread.
pub fn grade_all<'a, T: Send + 'a>(
    toolchain: &Toolchain,
    options: &GradeOptions,
    jobs: usize,
    grades: impl Iterator<Item = (T, Grade<'a>)>,
    record: &(dyn Fn(T, Verdict) + Sync),
) {
    let jobs = jobs.max(1);
    let group_size = group::group_size(jobs);
    // No more than one group waits in memory beside the one running.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<group::Job<'a, T>>(group_size);
    let receiver = std::sync::Mutex::new(receiver);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let next = receiver.lock().expect("job queue lock").recv();
                    let Ok(job) = next else { break };
                    let (tag, verdict) = job.finish();
                    record(tag, verdict);
                }
            });
        }
        let mut pending: Vec<(T, Grade<'a>)> = Vec::new();
        for (tag, grade) in grades {
            if pending
                .first()
                .is_some_and(|(_, first)| !group::same_kit(first.exercise(), grade.exercise()))
            {
                send_group(toolchain, options, &mut pending, &sender);
            }
            pending.push((tag, grade));
            if pending.len() >= group_size {
                send_group(toolchain, options, &mut pending, &sender);
            }
        }
        send_group(toolchain, options, &mut pending, &sender);
        drop(sender);
    });
}

/// Builds the pending group and hands its jobs to the runners.
fn send_group<'a, T>(
    toolchain: &Toolchain,
    options: &GradeOptions,
    pending: &mut Vec<(T, Grade<'a>)>,
    sender: &std::sync::mpsc::SyncSender<group::Job<'a, T>>,
) {
    for job in group::build(toolchain, options, std::mem::take(pending)) {
        // Fails only if every runner is gone, and then nothing can run.
        let _ = sender.send(job);
    }
}
