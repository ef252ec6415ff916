//! fileseq-style frame range strings: `1001-1010,1012`, negative frames as `-5--1`.

use tracking_types::Frame;

/// Format sorted, de-duplicated frames as runs: `1001-1010,1012`.
pub fn frame_range_string(frames: &[Frame]) -> String {
    let mut parts = Vec::new();
    let mut iter = frames.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while let Some(&next) = iter.peek() {
            if Some(next) == end.checked_add(1) {
                end = next;
                iter.next();
            } else {
                break;
            }
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(",")
}

/// Frames missing between the first and last of sorted `frames`, at most `limit`
/// listed; the second value is the full count.
pub(crate) fn missing_frames(frames: &[Frame], limit: usize) -> (Vec<Frame>, u64) {
    let mut listed = Vec::new();
    let mut count = 0u64;
    for pair in frames.windows(2) {
        let gap = pair[1].saturating_sub(pair[0]).saturating_sub(1);
        if gap <= 0 {
            continue;
        }
        count = count.saturating_add(gap.unsigned_abs());
        let mut frame = pair[0] + 1;
        while frame < pair[1] && listed.len() < limit {
            listed.push(frame);
            frame += 1;
        }
    }
    (listed, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn runs_and_singletons_are_written_like_fileseq() {
        let mut frames: Vec<Frame> = (1001..=1010).collect();
        frames.push(1012);
        assert_eq!(frame_range_string(&frames), "1001-1010,1012");
        assert_eq!(frame_range_string(&[1]), "1");
        assert_eq!(frame_range_string(&[]), "");
    }

    #[test]
    fn negative_frames_keep_their_sign() {
        assert_eq!(
            frame_range_string(&[-5, -4, -3, -2, -1, 1, 2, 3]),
            "-5--1,1-3"
        );
    }

    #[test]
    fn missing_frames_are_listed_and_counted() {
        let (listed, count) = missing_frames(&[1001, 1002, 1004, 1008], 3);
        assert_eq!(listed, vec![1003, 1005, 1006]);
        assert_eq!(count, 4);
    }

    proptest! {
        #[test]
        fn a_range_string_expands_back_to_its_frames(mut frames in proptest::collection::vec(-50i64..50, 0..40)) {
            frames.sort_unstable();
            frames.dedup();
            let text = frame_range_string(&frames);
            let mut expanded = Vec::new();
            for part in text.split(',').filter(|p| !p.is_empty()) {
                // A range separator is a '-' that follows a digit.
                let split = part.char_indices().skip(1).find(|&(i, c)| c == '-' && part.as_bytes()[i - 1].is_ascii_digit());
                match split {
                    Some((i, _)) => {
                        let (a, b) = (part[..i].parse::<i64>().unwrap(), part[i + 1..].parse::<i64>().unwrap());
                        expanded.extend(a..=b);
                    }
                    None => expanded.push(part.parse::<i64>().unwrap()),
                }
            }
            prop_assert_eq!(expanded, frames.clone());
            let (_, missing) = missing_frames(&frames, 0);
            let span = frames.last().zip(frames.first()).map_or(0, |(l, f)| (l - f + 1) as u64);
            prop_assert_eq!(missing + frames.len() as u64, span);
        }
    }
}
