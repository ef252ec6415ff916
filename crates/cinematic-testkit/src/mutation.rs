//! The shared pieces of the mutation property tests: a seeded generator, the spans a
//! mutation edits, the run's case count and seed from the environment, and a watchdog
//! that turns a hang into an abort naming the case.
//!
//! Each format keeps its own mutations and hostile tokens in its test file; what lives
//! here is what every one of them needs the same way, so a seed replays the same cases
//! in every suite.
//!
//! ```
//! use cinematic_testkit::mutation::{Rng, line_spans, token_spans};
//!
//! // One generator per case, so any case replays alone from (seed, case).
//! let mut rng = Rng::for_case(0x5EED, 7);
//! let text = b"a b\ncd\n";
//! assert_eq!(line_spans(text), [(0, 3), (4, 6)]);
//! assert_eq!(token_spans(text, |b| b.is_ascii_whitespace()), [(0, 1), (2, 3), (4, 6)]);
//! assert!(rng.below(10) < 10);
//! assert!(rng.position(text) <= text.len());
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// The environment variable with the number of cases per run.
pub const CASES_VAR: &str = "CINEMATIC_MUTATION_CASES";
/// The environment variable with the run's seed.
pub const SEED_VAR: &str = "CINEMATIC_MUTATION_SEED";

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from the raw state `state`.
    pub const fn new(state: u64) -> Self {
        Self(state)
    }

    /// The generator of case `case` of a run with seed `seed`: one per case, so any
    /// case replays alone from (seed, case).
    pub const fn for_case(seed: u64, case: u64) -> Self {
        Self(seed ^ case.wrapping_mul(0xA24B_AED4_963E_E407))
    }

    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)] // Not an iterator: it never ends.
    pub const fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    ///
    /// # Panics
    ///
    /// When `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        // Below `n`, which is a `usize`: the conversion cannot fail.
        usize::try_from(self.next() % n).unwrap_or_default()
    }

    /// One of `items`, each as likely.
    ///
    /// # Panics
    ///
    /// When `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A position in `bytes`, from `0` to `bytes.len()` included (an insertion point).
    pub fn position(&mut self, bytes: &[u8]) -> usize {
        self.below(bytes.len() + 1)
    }
}

/// Start and end of each line (without its `\n`); a last line without `\n` counts,
/// nothing after a final `\n` does.
pub fn line_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Start and end of each token: each non-empty run of bytes for which `is_separator`
/// is false.
pub fn token_spans(bytes: &[u8], is_separator: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (start, is_separator(b)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, bytes.len()));
    }
    out
}

/// A whole number as the environment gives one: decimal, or hexadecimal after `0x`
/// (underscores allowed there, as in `0x00C1_7E3A`); surrounding whitespace ignored.
pub fn parse_u64(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => text.parse().ok(),
    }
}

/// The whole number in the environment variable `name` (see [`parse_u64`]), or
/// `default` when it is not set.
///
/// # Panics
///
/// When the variable is set but not a whole number: a mistyped case count or seed
/// must not silently run the default.
#[allow(clippy::panic)] // A test helper: a bad setting fails the test, saying which.
pub fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => {
            parse_u64(&text).unwrap_or_else(|| panic!("{name}={text:?} is not a whole number"))
        }
        Err(_) => default,
    }
}

/// Starts a thread that aborts the process when `progress` (the case being run) has not
/// changed for `limit`, until `done` is set: a hang cannot be caught, and an abort with
/// the case and seed named beats a test that never ends.
///
/// The message is `{name}: case {case} (seed {seed:#x}) has not finished after
/// {limit:?}: a hang`. [`Watchdog`] wraps the two flags.
pub fn watchdog(
    name: &'static str,
    limit: Duration,
    progress: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
    seed: u64,
) {
    std::thread::spawn(move || {
        let mut last = u64::MAX;
        let mut stalled = Duration::ZERO;
        let tick = Duration::from_millis(250);
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(tick);
            let now = progress.load(Ordering::Relaxed);
            if now == last {
                stalled += tick;
                if stalled >= limit {
                    eprintln!(
                        "{name}: case {now} (seed {seed:#x}) has not finished after {limit:?}: a hang"
                    );
                    std::process::abort();
                }
            } else {
                (last, stalled) = (now, Duration::ZERO);
            }
        }
    });
}

/// A running [`watchdog`]: tell it each case as it starts with [`Watchdog::case`];
/// it stops when finished or dropped.
#[derive(Debug)]
pub struct Watchdog {
    progress: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
}

impl Watchdog {
    /// Starts a watchdog for the run `name` with seed `seed`, aborting when one case
    /// takes longer than `limit`.
    pub fn start(name: &'static str, limit: Duration, seed: u64) -> Self {
        let progress = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        watchdog(name, limit, Arc::clone(&progress), Arc::clone(&done), seed);
        Self { progress, done }
    }

    /// Case `case` starts now.
    pub fn case(&self, case: u64) {
        self.progress.store(case, Ordering::Relaxed);
    }

    /// The run is over: the watchdog stops.
    pub fn finish(self) {}
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_splitmix64() {
        // The first outputs of SplitMix64 from state 0 (the reference implementation).
        let mut rng = Rng::new(0);
        assert_eq!(rng.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next(), 0x6E78_9E6A_A1B9_65F4);
        let seed = 0x00C1_7E3A_71C5;
        assert_eq!(
            Rng::for_case(seed, 3).next(),
            Rng::new(seed ^ 3u64.wrapping_mul(0xA24B_AED4_963E_E407)).next()
        );
        assert_eq!(Rng::for_case(seed, 0).next(), Rng::new(seed).next());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::for_case(1, 2);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
        assert_eq!(rng.position(b""), 0);
        assert!(rng.position(b"abc") <= 3);
        assert_eq!(*rng.pick(&[7]), 7);
    }

    #[test]
    fn spans_cover_lines_and_tokens() {
        assert!(line_spans(b"").is_empty());
        assert_eq!(line_spans(b"\n"), [(0, 0)]);
        assert_eq!(line_spans(b"a\n\nbc"), [(0, 1), (2, 2), (3, 5)]);
        let colon = |b: u8| b.is_ascii_whitespace() || b == b':';
        assert_eq!(token_spans(b"k: v\n", colon), [(0, 1), (3, 4)]);
        assert!(token_spans(b"  \n", colon).is_empty());
        assert_eq!(token_spans(b"ab", colon), [(0, 2)]);
    }

    #[test]
    fn numbers_read_in_decimal_and_hex() {
        assert_eq!(parse_u64(" 10000\n"), Some(10_000));
        assert_eq!(parse_u64("0x00C1_7E3A_71C5"), Some(0x00C1_7E3A_71C5));
        assert_eq!(parse_u64("ten"), None);
        assert_eq!(parse_u64("-1"), None);
        assert_eq!(env_u64("CINEMATIC_TESTKIT_NO_SUCH_VARIABLE", 42), 42);
    }

    #[test]
    fn a_finished_watchdog_stops() {
        let dog = Watchdog::start("test", Duration::from_secs(60), 1);
        dog.case(1);
        let done = Arc::clone(&dog.done);
        dog.finish();
        assert!(done.load(Ordering::Relaxed));
    }
}
