//! [`CliError`]: one `error: …` line plus its context and causes on stderr.
//!
//! Two rules shape the lines:
//! - **The position is on the first line.** When the message itself names no place in
//!   a file but one of its causes does (`cam.chan:3:5: field tx is not a number: "abc"`
//!   under `cannot import the camera cam.chan`), that cause is folded into the `error:`
//!   line: `error: cannot import the camera cam.chan:3:5: field tx is not a number:
//!   "abc"` (the path said once when the message ends with it), so a reader or an
//!   editor's error parser finds `file:line:column` on the first line.
//! - **Each text once.** Many errors print their source in their own message *and*
//!   return it from `source()` (`x.chan: cannot rename …: Permission denied (os error
//!   13)`, then `Permission denied (os error 13)` again); a cause whose text is already
//!   contained in the line before it is dropped.

use std::error::Error;
use std::fmt;

/// An error the CLI reports and exits on.
#[derive(Debug)]
pub(crate) struct CliError {
    /// The outermost message, then each cause (outermost first), without repeats.
    lines: Vec<String>,
}

impl CliError {
    /// An error with a message and no cause.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            lines: vec![message.into()],
        }
    }

    /// Attach an underlying cause (and its own source chain).
    pub(crate) fn source(mut self, source: impl Error) -> Self {
        self.push(source.to_string());
        self.push_chain(source.source());
        self
    }

    /// Adds a cause unless the line before already says it.
    fn push(&mut self, text: String) {
        if self.lines.last().is_some_and(|last| last.contains(&text)) {
            return;
        }
        self.lines.push(text);
    }

    fn push_chain(&mut self, mut cause: Option<&(dyn Error + 'static)>) {
        while let Some(err) = cause {
            self.push(err.to_string());
            cause = err.source();
        }
    }

    /// The first line's text and the cause lines after it.
    fn layout(&self) -> (String, Vec<&str>) {
        let message = &self.lines[0];
        let folded = if carries_position(message) {
            None
        } else {
            self.lines
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, line)| carries_position(line))
        };
        let Some((index, cause)) = folded else {
            return (
                message.clone(),
                self.lines[1..].iter().map(String::as_str).collect(),
            );
        };
        let first = match message.rsplit_once(' ') {
            // `cannot import x.chan` + `x.chan:3:5: …` → `cannot import x.chan:3:5: …`
            Some((_, last)) if cause.starts_with(&format!("{last}:")) => {
                format!("{message}{}", &cause[last.len()..])
            }
            _ => format!("{message}: {cause}"),
        };
        let causes = self
            .lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 0 && i != index)
            .map(|(_, line)| line.as_str())
            .collect();
        (first, causes)
    }

    /// The report as stderr gets it: `error: …`, then one `  caused by: …` line per
    /// cause.
    pub(crate) fn render(&self) -> String {
        let (first, causes) = self.layout();
        let mut out = format!("error: {first}\n");
        for cause in causes {
            out.push_str(&format!("  caused by: {cause}\n"));
        }
        out
    }

    /// Write the report to stderr.
    pub(crate) fn report(&self) {
        eprint!("{}", self.render());
    }
}

/// Whether `text` starts with a place in a file: `path:line:column: …`, `path:line: …`
/// or `line N, column M: …` (a `.chan` read from a stream).
fn carries_position(text: &str) -> bool {
    let Some(end) = text.find(": ") else {
        return false;
    };
    let head = &text[..end];
    if let Some(rest) = head.strip_prefix("line ") {
        let mut parts = rest.splitn(2, ", column ");
        return parts.next().is_some_and(is_number) && parts.next().is_some_and(is_number);
    }
    let parts: Vec<&str> = head.rsplitn(3, ':').collect();
    match parts.as_slice() {
        // path:line:column (`rsplitn` gives them last first)
        [column, line, path] if is_number(column) && is_number(line) => !path.is_empty(),
        // path:line (the path may hold a colon)
        [line, path, ..] => is_number(line) && !path.is_empty(),
        _ => false,
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.layout().0)
    }
}

/// Any library error becomes a CLI error whose message is the error's own text and
/// whose causes are the error's source chain.
impl<E: Error + 'static> From<E> for CliError {
    fn from(err: E) -> Self {
        let mut out = Self::new(err.to_string());
        out.push_chain(err.source());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer {
        text: String,
        source: Option<Box<Layer>>,
    }

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.text)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.source.as_deref().map(|s| s as &(dyn Error + 'static))
        }
    }

    fn chain(texts: &[&str]) -> Layer {
        let mut layer: Option<Box<Layer>> = None;
        for text in texts.iter().rev() {
            layer = Some(Box::new(Layer {
                text: (*text).to_owned(),
                source: layer,
            }));
        }
        *layer.unwrap()
    }

    #[test]
    fn a_cause_with_a_position_is_folded_into_the_first_line() {
        let err = CliError::from(chain(&[
            "cannot import the camera cam.chan",
            "cam.chan:3:5: field tx is not a number: \"abc\"",
        ]));
        assert_eq!(
            err.render(),
            "error: cannot import the camera cam.chan:3:5: field tx is not a number: \"abc\"\n"
        );
        let err = CliError::from(chain(&[
            "session store at /s",
            "line 3, column 5: bad",
            "deeper",
        ]));
        assert_eq!(
            err.render(),
            "error: session store at /s: line 3, column 5: bad\n  caused by: deeper\n"
        );
    }

    #[test]
    fn a_message_with_its_own_position_stays_first() {
        let err = CliError::from(chain(&["cam.json:2:7: invalid JSON camera", "x:1:1: y"]));
        assert!(err.render().starts_with("error: cam.json:2:7: invalid"));
    }

    #[test]
    fn an_os_error_in_the_message_is_not_repeated_as_a_cause() {
        let err = CliError::from(chain(&[
            "session store at /s",
            "/s/a.chan: cannot rename: Permission denied (os error 13)",
            "Permission denied (os error 13)",
        ]));
        assert_eq!(
            err.render(),
            "error: session store at /s\n  caused by: /s/a.chan: cannot rename: Permission denied (os error 13)\n"
        );
        let err = CliError::new("cannot write to stdout: Broken pipe (os error 32)")
            .source(chain(&["Broken pipe (os error 32)"]));
        assert_eq!(err.lines.len(), 1);
    }

    #[test]
    fn positions_are_recognised() {
        for yes in [
            "a.chan:3:5: x",
            "/tmp/my dir/a.chan:12: x",
            "line 3, column 5: x",
        ] {
            assert!(carries_position(yes), "{yes}");
        }
        for no in [
            "cannot import the camera a.chan",
            "a.chan: no camera frames found",
            "session store at /s:1",
            ":3:5: x",
            "a.chan:x: y",
        ] {
            assert!(!carries_position(no), "{no}");
        }
    }
}
