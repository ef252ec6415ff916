//! Probing many paths at once with bounded parallelism: a fixed pool of scoped
//! threads (one per core by default) pulling paths from a shared counter. Results come
//! back in input order, one `Result` per path; one bad file never stops the batch.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::{CacheOutcome, ProbeCache};
use crate::error::{Error, Result};
use crate::probe::probe;
use crate::types::{FootageProbe, ProbeOptions};

/// How a batch runs.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Options for each probe.
    pub probe: ProbeOptions,
    /// Worker threads; default one per available core.
    pub workers: Option<NonZeroUsize>,
}

/// The default worker count: the number of available cores (1 when unknown).
pub fn default_workers() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Probe every path; `on_done(index, result)` is called as each finishes (from a
/// worker thread, e.g. to advance a progress bar). Results are in input order.
pub fn probe_many<P>(
    paths: &[P],
    options: &BatchOptions,
    cache: Option<&ProbeCache>,
    on_done: &(dyn Fn(usize, &Result<FootageProbe>) + Sync),
) -> Vec<Result<FootageProbe>>
where
    P: AsRef<Path> + Sync,
{
    run_batch(paths, options, |index, path| {
        let result = match cache {
            Some(cache) => cache.probe(path, &options.probe),
            None => probe(path, &options.probe),
        };
        on_done(index, &result);
        result
    })
}

/// One path's answer in [`probe_many_with_outcomes`]: the probe and what the cache
/// did, or the error.
pub type ProbeOutcome = Result<(FootageProbe, CacheOutcome)>;

/// [`probe_many`], also saying per path what the cache did ([`CacheOutcome::Bypassed`]
/// without a cache), so the caller can show a [`CacheOutcome::NotWritten`] notice.
pub fn probe_many_with_outcomes<P>(
    paths: &[P],
    options: &BatchOptions,
    cache: Option<&ProbeCache>,
    on_done: &(dyn Fn(usize, &ProbeOutcome) + Sync),
) -> Vec<ProbeOutcome>
where
    P: AsRef<Path> + Sync,
{
    run_batch(paths, options, |index, path| {
        let result = match cache {
            Some(cache) => cache.probe_with_outcome(path, &options.probe),
            None => probe(path, &options.probe).map(|p| (p, CacheOutcome::Bypassed)),
        };
        on_done(index, &result);
        result
    })
}

/// Run `work(index, path)` for every path on the worker pool; results in input order.
fn run_batch<P, T>(
    paths: &[P],
    options: &BatchOptions,
    work: impl Fn(usize, &Path) -> Result<T> + Sync,
) -> Vec<Result<T>>
where
    P: AsRef<Path> + Sync,
    T: Send,
{
    let workers = options
        .workers
        .unwrap_or_else(default_workers)
        .get()
        .min(paths.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<T>>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(index) else {
                        break;
                    };
                    let result = work(index, path.as_ref());
                    if let Some(slot) = slots.get(index)
                        && let Ok(mut slot) = slot.lock()
                    {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(paths)
        .map(|(slot, path)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(Error::WorkerPanicked {
                    path: PathBuf::from(path.as_ref()),
                })
            })
        })
        .collect()
}
