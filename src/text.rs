//! Making untrusted text safe to show in a terminal.

use std::borrow::Cow;

/// Removes terminal control sequences and control characters from `input`.
///
/// Text from files, fixtures and other people reaches the terminal through here: an escape
/// sequence in a provider's narrative must never clear the screen, retitle the window or hide
/// text. Line breaks are kept; tabs become spaces; CSI, OSC, DCS and similar sequences are
/// removed whole, so no `[2J` debris is left behind; emoji terminals draw at widths of their
/// own are drawn as their parts (`simplify_clusters`). Clean text is returned borrowed.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    match strip_controls(input) {
        Cow::Borrowed(text) => simplify_clusters(text),
        Cow::Owned(text) => Cow::Owned(simplify_clusters(&text).into_owned()),
    }
}

/// Emoji that terminals draw at widths of their own are drawn as their parts: a ZWJ sequence
/// (👩‍⚕️) as its emoji side by side, without the joiners, variation selectors, skin tones and
/// keycaps that terminals count differently from one another (so no cell is left blank or
/// behind), and a flag (🇧🇪) as its two letters (BE). For the terminal only: reports and forms
/// keep the text as written (`strip_controls`).
pub fn simplify_clusters(text: &str) -> Cow<'_, str> {
    let combining = |c: char| matches!(c, '\u{200d}' | '\u{fe0e}' | '\u{fe0f}' | '\u{20e3}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}');
    let regional = |c: char| ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
    if !text.chars().any(|c| combining(c) || regional(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| !combining(c))
            .map(|c| if regional(c) { char::from(b'A' + (c as u32 - 0x1f1e6) as u8) } else { c })
            .collect(),
    )
}

/// Removes what could move the cursor, change colours or reorder text (escape sequences,
/// control characters, bidirectional overrides); keeps every printable character as written.
pub fn strip_controls(input: &str) -> Cow<'_, str> {
    if !input.chars().any(needs_cleaning) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\r' => {
                // A lone CR would move the cursor to the line start; CRLF is a line break.
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            c if is_dangerous(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_cleaning(c: char) -> bool {
    c == '\t' || c == '\r' || is_dangerous(c)
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        // Bidirectional overrides and isolates can make text display in an order other than
        // the one it is stored in.
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // Two-character sequences (ESC c, ESC 7, ...) and intermediate-byte forms (ESC ( B).
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in `@`..=`~`.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

/// OSC, DCS, SOS, PM, APC: up to BEL or ST (`ESC \` or U+009C).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// The display width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut to `room` display columns with an ellipsis, when it is wider.
pub fn ellipsize(text: &str, room: usize) -> std::borrow::Cow<'_, str> {
    if width(text) <= room {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if room == 0 {
        return std::borrow::Cow::Owned(out);
    }
    // "University…", not "University …".
    let mut out = out.trim_end().to_string();
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// `text` cut to `room` columns keeping its start and its end, the middle replaced by an
/// ellipsis (for names that differ at the end: "MSc Adv…(Critical Care pathway)").
pub fn ellipsize_middle(text: &str, room: usize) -> std::borrow::Cow<'_, str> {
    if width(text) <= room || room < 5 {
        return ellipsize(text, room);
    }
    let head_room = (room - 1) / 3;
    let tail_room = room - 1 - head_room;
    let head = ellipsize(text, head_room + 1);
    let head = head.trim_end_matches('…');
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    std::borrow::Cow::Owned(format!("{head}…{tail}"))
}

/// Each of `texts` cut to `room` columns so that texts that differ still differ: an ellipsis
/// at the end, or in the middle when cutting the ends would make two of them read the same.
pub fn ellipsize_distinct(texts: &[&str], room: usize) -> Vec<String> {
    let at_end: Vec<String> = texts.iter().map(|t| ellipsize(t, room).into_owned()).collect();
    let confused = texts
        .iter()
        .enumerate()
        .any(|(i, a)| texts.iter().enumerate().skip(i + 1).any(|(j, b)| a != b && at_end[i] == at_end[j]));
    if confused { texts.iter().map(|t| ellipsize_middle(t, room).into_owned()).collect() } else { at_end }
}

/// `text` from display column `start` on (a wide character that column cuts is left out).
pub fn from_column(text: &str, start: usize) -> &str {
    let mut column = 0;
    for (at, c) in text.char_indices() {
        if column >= start {
            return &text[at..];
        }
        column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    ""
}

/// `text` as rows of at most `width` display columns: broken after the last space that fits,
/// or inside a word longer than a row. The spacing inside a row is kept (columns line up).
pub fn wrap_columns(text: &str, width: usize) -> Vec<&str> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut rest = text;
    while crate::text::width(rest) > width {
        let (mut end, mut column, mut last_space) = (0, 0, None);
        for (at, c) in rest.char_indices() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if column + w > width {
                break;
            }
            column += w;
            end = at + c.len_utf8();
            if c == ' ' {
                last_space = Some(end);
            }
        }
        // A character wider than the row still takes one row of its own.
        let end = last_space.filter(|&s| s > 0).unwrap_or(if end == 0 {
            rest.chars().next().map_or(rest.len(), char::len_utf8)
        } else {
            end
        });
        rows.push(&rest[..end]);
        rest = &rest[end..];
    }
    if !rest.is_empty() || rows.is_empty() {
        rows.push(rest);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        let text = "Dr Anika Sørensen – “met”\nline two";
        assert!(matches!(sanitize(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{1b}[31;1mc\u{1b}[0m"), "abc");
    }

    #[test]
    fn osc_title_sequences_are_removed_with_either_terminator() {
        assert_eq!(sanitize("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"), "xlinky");
    }

    #[test]
    fn c0_and_c1_controls_and_bidi_overrides_are_dropped() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{8}d\u{85}e\u{202e}f"), "abcdef");
        assert_eq!(sanitize("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn tabs_and_carriage_returns_become_spaces_and_line_breaks() {
        assert_eq!(sanitize("a\tb\r\nc\rd"), "a    b\nc\nd");
    }

    #[test]
    fn an_unterminated_sequence_at_the_end_does_not_panic() {
        assert_eq!(sanitize("abc\u{1b}"), "abc");
        assert_eq!(sanitize("abc\u{1b}["), "abc");
        assert_eq!(sanitize("abc\u{1b}]0;never ends"), "abc");
    }

    #[test]
    fn rows_by_columns_keep_spacing_and_wide_characters_whole() {
        assert_eq!(wrap_columns("short", 10), ["short"]);
        assert_eq!(wrap_columns("one two three", 8), ["one two ", "three"]);
        assert_eq!(wrap_columns("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_columns("a    b    c", 6), ["a    ", "b    c"]);
        assert_eq!(wrap_columns("🏥🏥🏥", 4), ["🏥🏥", "🏥"]);
        assert_eq!(wrap_columns("🏥", 1), ["🏥"], "wider than the row: a row of its own");
        assert_eq!(wrap_columns("", 5), [""]);
        assert_eq!(from_column("Module  Credits", 8), "Credits");
        assert_eq!(from_column("🏥ab", 1), "ab", "the cut wide character is left out");
        assert_eq!(from_column("abc", 9), "");
    }

    #[test]
    fn ellipsis_marks_a_cut() {
        assert_eq!(ellipsize("MSc Advanced Clinical Practice", 40), "MSc Advanced Clinical Practice");
        assert_eq!(ellipsize("MSc Advanced Clinical Practice", 15), "MSc Advanced C…");
        assert_eq!(width(&ellipsize("🏥🏥🏥🏥", 5)), 5);
        assert_eq!(ellipsize("abc", 0), "");
    }

    #[test]
    fn names_that_differ_at_the_end_are_cut_in_the_middle() {
        let names = ["MSc Advanced Clinical Practice", "MSc Advanced Clinical Practice (Critical Care pathway)"];
        let cut = ellipsize_distinct(&names, 20);
        assert_eq!(cut, ["MSc Ad…ical Practice", "MSc Ad…Care pathway)"]);
        assert!(cut.iter().all(|c| width(c) <= 20));
        let providers = ["University of Northmoor", "Kingsbridge Metropolitan University"];
        assert_eq!(ellipsize_distinct(&providers, 12), ["University…", "Kingsbridge…"], "the start tells them apart");
        assert_eq!(ellipsize_middle("short", 10), "short");
    }

    #[test]
    fn emoji_that_terminals_disagree_on_are_drawn_as_their_parts() {
        assert_eq!(sanitize("Nurse 👩\u{200d}⚕\u{fe0f}🏥✅ 🇧🇪 👍🏽 1\u{fe0f}\u{20e3}"), "Nurse 👩⚕🏥✅ BE 👍 1");
        assert_eq!(strip_controls("👩\u{200d}⚕\u{fe0f} 🇧🇪"), "👩\u{200d}⚕\u{fe0f} 🇧🇪", "documents keep them");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
        assert_eq!(sanitize("a\u{1b}[2J👩\u{200d}⚕\u{fe0f}"), "a👩⚕");
    }
}
