//! Which padding a frame file's number belongs to, as fileseq groups them (the rule is
//! stated in the `sequence` module doc).
//!
//! A frame number is *zero-led* when its digits start with `0` (`0007`, `-0005`, and
//! `0` itself): its width is then its padding, exactly. A number without a leading
//! zero (`7`, `1001`, `10000`) fits every padding up to its width.

/// How the padding groups of one name (prefix + suffix) are formed from its frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PaddingGroups {
    /// The paddings that form a group, ascending: the narrowest width present, and
    /// every width of a zero-led number.
    paddings: Vec<usize>,
}

impl PaddingGroups {
    /// The groups formed by frames with these `(digits, zero_led)` numbers.
    pub(super) fn of(numbers: impl IntoIterator<Item = (usize, bool)>) -> Self {
        let mut narrowest = None::<usize>;
        let mut paddings = Vec::new();
        for (digits, zero_led) in numbers {
            narrowest = Some(narrowest.map_or(digits, |n| n.min(digits)));
            if zero_led {
                paddings.push(digits);
            }
        }
        paddings.extend(narrowest);
        paddings.sort_unstable();
        paddings.dedup();
        Self { paddings }
    }

    /// The padding of the group a number with `digits` digits belongs to: its width
    /// when zero-led, else the widest group padding it fits (`None` when it is
    /// narrower than every group, which only a number not among the frames can be).
    pub(super) fn group_of(&self, digits: usize, zero_led: bool) -> Option<usize> {
        if zero_led {
            return self.paddings.binary_search(&digits).ok().map(|_| digits);
        }
        self.paddings.iter().rev().copied().find(|&p| p <= digits)
    }
}

/// Whether a number fits a padding the caller named (`%04d`, `####`): exactly that
/// many digits, or more without a leading zero (frame 10000 at padding 4). This is
/// fileseq's `strictPadding` filter and what ffmpeg's `%04d` reads.
pub(super) fn fits_named(padding: usize, digits: usize, zero_led: bool) -> bool {
    if zero_led {
        digits == padding
    } else {
        digits >= padding
    }
}

/// Whether the digit string of a frame number (sign removed) is zero-led.
pub(super) fn is_zero_led(digits: &str) -> bool {
    digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> PaddingGroups {
        PaddingGroups::of(names.iter().map(|n| (n.len(), is_zero_led(n))))
    }

    fn group_of(groups: &PaddingGroups, name: &str) -> Option<usize> {
        groups.group_of(name.len(), is_zero_led(name))
    }

    #[test]
    fn one_padding_is_one_group() {
        let padded = groups(&["0001", "0002", "0100"]);
        assert_eq!(padded.paddings, [4]);
        assert_eq!(group_of(&padded, "10000"), Some(4));
        let unpadded = groups(&["998", "999", "1000", "1001"]);
        assert_eq!(unpadded.paddings, [3]);
        assert_eq!(group_of(&unpadded, "1000"), Some(3));
        let from_zero = groups(&["0", "1", "10", "100"]);
        assert_eq!(from_zero.paddings, [1]);
    }

    #[test]
    fn every_zero_led_width_is_its_own_group() {
        let mixed = groups(&["1", "02", "003", "0004", "00005"]);
        assert_eq!(mixed.paddings, [1, 2, 3, 4, 5]);
        assert_eq!(group_of(&mixed, "1"), Some(1));
        assert_eq!(group_of(&mixed, "003"), Some(3));
        // An unpadded number joins the widest group it fits, as fileseq (which walks
        // the frames by width) puts it.
        assert_eq!(group_of(&mixed, "12"), Some(2));
        assert_eq!(group_of(&mixed, "123456"), Some(5));
    }

    #[test]
    fn a_stray_unpadded_frame_beside_a_padded_sequence_is_a_group_of_its_own() {
        let stray = groups(&["5", "0001", "0002"]);
        assert_eq!(stray.paddings, [1, 4]);
        assert_eq!(group_of(&stray, "5"), Some(1));
        assert_eq!(group_of(&stray, "0002"), Some(4));
        assert_eq!(groups(&["0001"]).group_of(1, false), None);
    }

    #[test]
    fn a_named_padding_takes_exact_widths_and_wider_unpadded_numbers() {
        assert!(fits_named(4, 4, true));
        assert!(fits_named(4, 4, false));
        assert!(fits_named(4, 5, false));
        assert!(!fits_named(4, 5, true));
        assert!(!fits_named(4, 2, true));
        assert!(!fits_named(4, 1, true), "frame 0 written `0` is padding 1");
        assert!(fits_named(1, 3, false));
    }
}
