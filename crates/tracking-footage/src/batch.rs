//! Probing many paths at once with bounded parallelism: a fixed pool of scoped
//! threads (one per core by default) pulling paths from a shared counter. Results come
//! back in input order, one `Result` per path; one bad file never stops the batch.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::ProbeCache;
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
    let workers = options
        .workers
        .unwrap_or_else(default_workers)
        .get()
        .min(paths.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<FootageProbe>>>> =
        paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(index) else {
                        break;
                    };
                    let path = path.as_ref();
                    let result = match cache {
                        Some(cache) => cache.probe(path, &options.probe),
                        None => probe(path, &options.probe),
                    };
                    on_done(index, &result);
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
