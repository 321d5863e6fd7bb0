//! Styles written as words in `config.toml`: a colour, `on` a background colour, and
//! modifiers, such as `"green bold"` or `"black on yellow"`.

use ratatui::style::{Color, Modifier, Style};

const COLOURS: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed-out", Modifier::CROSSED_OUT),
];

/// How to write a style, for error messages.
pub fn style_syntax() -> String {
    let colours: Vec<&str> = COLOURS.iter().map(|(n, _)| *n).collect();
    let modifiers: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
    format!(
        "colours: {}, #rrggbb or 0 to 255; \"on COLOUR\" sets the background; modifiers: {}; \"plain\" for no style",
        colours.join(", "),
        modifiers.join(", ")
    )
}

/// Reads style words; the error names the word that is not understood.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = text.split_whitespace().map(normalise).peekable();
    while let Some(word) = words.next() {
        if word == "plain" || word == "none" {
            continue;
        }
        if word == "on" {
            let Some(colour) = words.next() else {
                return Err("\"on\" needs a background colour after it".into());
            };
            style = style.bg(parse_colour(&colour).ok_or_else(|| unknown(&colour))?);
        } else if let Some((_, modifier)) = MODIFIERS.iter().find(|(n, _)| *n == word) {
            style = style.add_modifier(*modifier);
        } else if let Some(colour) = parse_colour(&word) {
            if style.fg.is_some() {
                return Err(format!("two text colours; write \"on {word}\" for a background"));
            }
            style = style.fg(colour);
        } else {
            return Err(unknown(&word));
        }
    }
    Ok(style)
}

fn unknown(word: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    names.extend(COLOURS.iter().map(|(n, _)| *n));
    names.extend(MODIFIERS.iter().map(|(n, _)| *n));
    match crate::config::did_you_mean(word, &names) {
        Some(close) => format!("\"{word}\" is not a colour or modifier (did you mean {close}?)"),
        None => format!("\"{word}\" is not a colour or modifier"),
    }
}

fn normalise(word: &str) -> String {
    let word = word.to_lowercase().replace('_', "-").replace("grey", "gray").replace("bright-", "light-");
    match word.as_str() {
        "darkgray" => "dark-gray".into(),
        "underline" => "underlined".into(),
        "reverse" => "reversed".into(),
        w if w.starts_with("light") && !w.starts_with("light-") => format!("light-{}", &w[5..]),
        _ => word,
    }
}

fn parse_colour(word: &str) -> Option<Color> {
    if word == "default" {
        return Some(Color::Reset);
    }
    if let Some((_, c)) = COLOURS.iter().find(|(n, _)| *n == word) {
        return Some(*c);
    }
    if let Some(hex) = word.strip_prefix('#').filter(|h| h.len() == 6) {
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    word.parse::<u8>().ok().map(Color::Indexed)
}

/// The words `parse_style` reads back as `style`.
pub fn style_words(style: Style) -> String {
    let mut words = Vec::new();
    if let Some(fg) = style.fg {
        words.push(colour_word(fg));
    }
    if let Some(bg) = style.bg {
        words.push("on".into());
        words.push(colour_word(bg));
    }
    for (name, modifier) in MODIFIERS {
        if style.add_modifier.contains(*modifier) {
            words.push((*name).to_string());
        }
    }
    if words.is_empty() { "plain".into() } else { words.join(" ") }
}

fn colour_word(colour: Color) -> String {
    match colour {
        Color::Reset => "default".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(n) => n.to_string(),
        c => COLOURS.iter().find(|(_, k)| *k == c).map_or_else(|| "default".into(), |(n, _)| (*n).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_read_from_words() {
        assert_eq!(parse_style("green bold"), Ok(Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)));
        assert_eq!(parse_style("black on yellow"), Ok(Style::new().fg(Color::Black).bg(Color::Yellow)));
        assert_eq!(parse_style("on red"), Ok(Style::new().bg(Color::Red)));
        assert_eq!(parse_style("Dark_Grey"), Ok(Style::new().fg(Color::DarkGray)));
        assert_eq!(
            parse_style("lightred underline"),
            Ok(Style::new().fg(Color::LightRed).add_modifier(Modifier::UNDERLINED))
        );
        assert_eq!(parse_style("#ff8000"), Ok(Style::new().fg(Color::Rgb(255, 128, 0))));
        assert_eq!(parse_style("208"), Ok(Style::new().fg(Color::Indexed(208))));
        assert_eq!(parse_style("plain"), Ok(Style::new()));
        assert_eq!(parse_style(""), Ok(Style::new()));
    }

    #[test]
    fn a_word_that_is_not_understood_is_named() {
        assert_eq!(
            parse_style("grean bold"),
            Err("\"grean\" is not a colour or modifier (did you mean green?)".into())
        );
        assert_eq!(parse_style("bold on"), Err("\"on\" needs a background colour after it".into()));
        assert!(parse_style("red green").unwrap_err().contains("two text colours"));
        assert_eq!(parse_style("sparkly"), Err("\"sparkly\" is not a colour or modifier".into()));
    }

    #[test]
    fn words_read_back_as_the_same_style() {
        for style in [
            Style::new(),
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().fg(Color::Black).bg(Color::LightYellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::REVERSED),
            Style::new().fg(Color::Rgb(1, 2, 3)).bg(Color::Indexed(17)),
        ] {
            assert_eq!(parse_style(&style_words(style)), Ok(style), "{}", style_words(style));
        }
    }
}
