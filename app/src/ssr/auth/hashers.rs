//! Threads for password hashing, at the lowest CPU priority, on all cores but one.
//!
//! A log-in is ~50 ms of pure CPU; a burst of them must not delay anything else.
//! The threads run at nice 19, so the scheduler hands a core to any runtime thread
//! the moment it has work, and they leave one core alone, so the runtime also
//! keeps its caches. Measured under 50 log-ins/s on 2 cores (`/health` p99, quiet
//! ~2.5 ms): tokio's blocking pool at normal priority on one core, 6–9 ms; nice 19
//! on both cores, 6–7 ms; nice 19 on one core, 2.7 ms. The price: in such a storm
//! log-ins queue for the one core (~20 hashes/s) instead of two.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Jobs that may wait for a thread: at ~20 hashes/s on one core, about 3 s of
/// work. Past that a check is refused at once (`Busy`) rather than make every
/// log-in wait behind a flood.
pub const QUEUE: usize = 64;

/// The queue is full; the caller may try again in a moment.
#[derive(Debug, thiserror::Error)]
#[error("every password check slot is taken")]
pub struct Busy;

#[derive(Clone)]
pub struct Hashers {
    jobs: Option<SyncSender<Job>>,
}

impl Hashers {
    pub fn all_cores_but_one() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
    }

    /// `threads` threads; they end when the last clone of this is dropped.
    pub fn start(threads: usize) -> Self {
        Self::with_queue(threads, QUEUE)
    }

    fn with_queue(threads: usize, waiting: usize) -> Self {
        let (jobs, queue) = sync_channel::<Job>(waiting);
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        for n in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&queue));
            match spawned {
                Ok(_) => started += 1,
                Err(error) => tracing::warn!(%error, "could not start a hashing thread"),
            }
        }
        Self {
            // Without threads, hash on tokio's blocking pool rather than never.
            jobs: (started > 0).then_some(jobs),
        }
    }

    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, anyhow::Error> {
        let Some(jobs) = &self.jobs else {
            return Ok(tokio::task::spawn_blocking(work).await?);
        };
        let (done, result) = tokio::sync::oneshot::channel();
        jobs.try_send(Box::new(move || {
            // The caller may have gone (a dropped request); nobody to tell then.
            let _ = done.send(work());
        }))
        .map_err(|e| match e {
            TrySendError::Full(_) => anyhow::Error::new(Busy),
            TrySendError::Disconnected(_) => anyhow::anyhow!("the hashing threads have stopped"),
        })?;
        result
            .await
            .map_err(|_| anyhow::anyhow!("a hashing job panicked"))
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // A panic loses that job's answer (its caller sees an error), not the thread.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux the nice value belongs to the thread: this one only.
    // SAFETY: plain syscalls on the calling thread's own id.
    let failed = unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19) != 0
    };
    if failed {
        tracing::warn!("could not lower the hashing thread's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_off_the_runtime_and_return_their_result() {
        let hashers = Hashers::start(2);
        let caller = std::thread::current().id();
        let (value, thread) = hashers
            .run(move || (6 * 7, std::thread::current().id()))
            .await
            .unwrap();
        assert_eq!(value, 42);
        assert_ne!(thread, caller);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_keeps_working() {
        // One thread: the jobs after the panic can only run if it survived.
        let hashers = Hashers::start(1);
        let failed = hashers.run(|| -> u8 { panic!("boom") }).await;
        assert!(failed.is_err());
        for _ in 0..4 {
            assert_eq!(hashers.run(|| 1).await.unwrap(), 1);
        }
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_takes_work_again_when_it_drains() {
        let hashers = Hashers::with_queue(1, 2);
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        // One job holds the thread; two wait; the fourth finds no room.
        let mut waiting = Vec::new();
        for _ in 0..3 {
            let gate = gate.clone();
            let hashers = hashers.clone();
            waiting.push(tokio::spawn(async move {
                hashers
                    .run(move || gate.lock().map(|g| g.recv().is_ok()).unwrap_or(false))
                    .await
            }));
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let refused = hashers.run(|| true).await.unwrap_err();
        assert!(refused.downcast_ref::<Busy>().is_some(), "{refused:#}");
        for _ in 0..3 {
            release.send(()).unwrap();
        }
        for job in waiting {
            assert!(job.await.unwrap().unwrap());
        }
        assert!(hashers.run(|| true).await.unwrap());
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_run_at_the_lowest_priority() {
        let hashers = Hashers::start(1);
        // SAFETY: reads the calling thread's own nice value.
        let nice = hashers
            .run(|| unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) })
            .await
            .unwrap();
        assert_eq!(nice, 19);
    }
}
