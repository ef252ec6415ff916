//! The on-disk probe cache and batch probing, on real files.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use tracking_footage::{
    BatchOptions, CacheOutcome, Error, ProbeCache, ProbeOptions, probe, probe_many,
};

fn entries(cache: &ProbeCache) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache.directory())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_second_probe_of_an_unchanged_file_is_a_cache_hit_with_the_same_answer() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    assert_eq!(cache.directory(), state.path().join("footage"));

    let (first, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    let (second, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(first, second);
    assert_eq!(first, probe(&clip, &ProbeOptions::default()).unwrap());

    let names = entries(&cache);
    assert_eq!(names.len(), 1, "one entry, no temp files left: {names:?}");
    let name = &names[0];
    assert!(name.ends_with(".json") && name.len() == 64 + 5, "{name}");
}

#[test]
fn a_cache_write_takes_the_state_root_lock_and_leaves_no_temp_file() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    let (_, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    // The lock file the session store uses too (tracking_fs::StateLock).
    assert!(state.path().join(".lock").is_file());
    let names = entries(&cache);
    assert!(
        names.len() == 1 && !names[0].starts_with('.'),
        "one entry, no temp file: {names:?}"
    );
}

#[test]
fn deep_and_quick_probes_are_cached_separately() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    cache.probe(&clip, &ProbeOptions::default()).unwrap();
    let (deep, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::deep())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    assert_eq!(deep.frame_counts.exact, Some(24));
    assert_eq!(entries(&cache).len(), 2);
}

#[test]
fn a_changed_file_is_probed_again() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    let before = cache.probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(before.rate.rational.num, 24000);

    // Replace the file with a 25 fps clip under the same name.
    let other = common::sar_2_1_mp4(media.path());
    std::fs::rename(&other, &clip).unwrap();
    let (after, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    assert_eq!(after.rate.rational.num, 25);

    // Same bytes, new modification time: also a miss.
    let file = std::fs::File::options().write(true).open(&clip).unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(file);
    let (_, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
}

#[test]
fn a_corrupt_cache_entry_is_a_miss_and_gets_rewritten() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    cache.probe(&clip, &ProbeOptions::default()).unwrap();
    let entry = cache.directory().join(&entries(&cache)[0]);
    std::fs::write(&entry, b"{ truncated").unwrap();
    let (p, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    assert_eq!(p.metadata.duration_frames, 24);
    let (_, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Hit);
}

#[test]
fn a_cache_hit_reports_the_callers_spelling_of_the_path() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    cache.probe(&clip, &ProbeOptions::default()).unwrap();
    let dotted = media.path().join(".").join("cfr_23976.mp4");
    let (p, _) = cache
        .probe_with_outcome(&dotted, &ProbeOptions::default())
        .unwrap();
    assert_eq!(p.path, dotted.to_string_lossy());
}

#[test]
fn image_sequences_bypass_the_cache() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    common::image_sequence(media.path(), "seq", "png", 1, 2, &[]);
    let cache = ProbeCache::new(state.path());
    let options = ProbeOptions {
        sequence_frame_rate: tracking_footage::Rational::new(24, 1),
        ..ProbeOptions::default()
    };
    let (_, outcome) = cache
        .probe_with_outcome(media.path().join("seq.0001.png"), &options)
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Bypassed);
    assert!(entries(&cache).is_empty());
}

#[test]
fn a_batch_returns_one_result_per_path_in_order_and_reports_progress() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let a = common::cfr_23976_mp4(media.path());
    let b = common::sar_2_1_mp4(media.path());
    let missing = media.path().join("missing.mov");
    let paths = vec![a, missing.clone(), b];
    let done = AtomicUsize::new(0);
    let results = probe_many(&paths, &BatchOptions::default(), None, &|_, _| {
        done.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(done.load(Ordering::SeqCst), 3);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().metadata.duration_frames, 24);
    assert!(matches!(&results[1], Err(Error::NotFound { path }) if *path == missing));
    assert_eq!(results[2].as_ref().unwrap().metadata.duration_frames, 25);
}

#[test]
fn a_batch_with_one_worker_gives_the_same_results_as_with_many() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let paths = vec![
        common::cfr_23976_mp4(media.path()),
        common::vfr_mp4(media.path()),
        common::interlaced_mp4(media.path()),
    ];
    let cache = ProbeCache::new(state.path());
    let serial = BatchOptions {
        workers: std::num::NonZeroUsize::new(1),
        ..BatchOptions::default()
    };
    let one: Vec<_> = probe_many(&paths, &serial, None, &|_, _| {})
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let many: Vec<_> = probe_many(&paths, &BatchOptions::default(), Some(&cache), &|_, _| {})
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(one, many);
}

/// Every path under `root` with its size and modification time, sorted: what "nothing
/// under the root changed" compares.
fn tree(root: &std::path::Path) -> Vec<(std::path::PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                pending.push(entry.path());
            }
            out.push((entry.path(), meta.len(), meta.modified().ok()));
        }
    }
    out.sort();
    out
}

#[test]
fn an_immutable_state_root_still_probes_and_reports_the_unwritten_entry() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    // An empty root (footage/ cannot be created) and a root whose footage/ and .lock
    // exist (the lock cannot be opened for writing).
    let empty = tempfile::tempdir().unwrap();
    let laid_out = tempfile::tempdir().unwrap();
    std::fs::create_dir(laid_out.path().join("footage")).unwrap();
    std::fs::write(laid_out.path().join(".lock"), b"").unwrap();
    for root in [empty.path(), laid_out.path()] {
        let before = tree(root);
        let Some(_frozen) = cinematic_testkit::ImmutableTree::new(root) else {
            return;
        };
        let cache = ProbeCache::new(root);
        let (p, outcome) = cache
            .probe_with_outcome(&clip, &ProbeOptions::default())
            .unwrap();
        assert_eq!(p, probe(&clip, &ProbeOptions::default()).unwrap());
        let notice = outcome.notice().expect("a NotWritten notice").clone();
        assert_eq!(outcome, CacheOutcome::NotWritten(notice.clone()));
        assert!(notice.path.starts_with(root), "{notice}");
        let text = notice.to_string();
        assert!(
            text.starts_with(&format!(
                "probe cache not written: {}: cannot ",
                notice.path.display()
            )),
            "{text}"
        );
        assert_eq!(
            text.matches(&*notice.path.to_string_lossy()).count(),
            1,
            "the path is stated once: {text}"
        );
        // The batch path says the same.
        let results = tracking_footage::probe_many_with_outcomes(
            std::slice::from_ref(&clip),
            &BatchOptions::default(),
            Some(&cache),
            &|_, _| {},
        );
        let (_, outcome) = results.into_iter().next().unwrap().unwrap();
        assert!(
            matches!(outcome, CacheOutcome::NotWritten(_)),
            "{outcome:?}"
        );
        assert_eq!(tree(root), before, "nothing under the root changed");
    }
}

#[test]
fn a_cache_entry_on_an_immutable_root_is_still_read() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    let first = cache.probe(&clip, &ProbeOptions::default()).unwrap();
    let before = tree(state.path());
    let Some(_frozen) = cinematic_testkit::ImmutableTree::new(state.path()) else {
        return;
    };
    let (hit, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(hit, first);
    assert_eq!(tree(state.path()), before);
}

#[test]
fn a_held_state_root_lock_skips_the_cache_write_after_about_a_second() {
    require_tools!();
    let media = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(media.path());
    let cache = ProbeCache::new(state.path());
    let held = tracking_fs::StateLock::acquire(state.path()).unwrap();
    let started = std::time::Instant::now();
    let (p, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(p.metadata.duration_frames, 24);
    assert!(
        waited >= tracking_footage::CACHE_LOCK_WAIT && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    let notice = outcome.notice().expect("a NotWritten notice");
    assert!(notice.path.ends_with(".lock"), "{notice}");
    assert!(notice.reason.contains("locked by pid"), "{notice}");
    assert!(entries(&cache).is_empty(), "no entry, no temp file");
    drop(held);
    let (_, outcome) = cache
        .probe_with_outcome(&clip, &ProbeOptions::default())
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
}
