//! The page labels a PDF declares for itself (`/PageLabels` in its catalog: PDF 32000-1 §12.4.2),
//! the most reliable source of the numbers printed on its pages.
//!
//! A small reader, bounded in every direction, instead of a PDF library (lopdf would add about 20
//! crates to the build for this one lookup). It reads no cross-reference table: it finds objects
//! by their `N G obj` headers (a later definition wins, as an incremental update's does), opens
//! object streams (FlateDecode) for objects stored compressed, takes the catalog from the last
//! `/Root` (a trailer's or a cross-reference stream's), and walks the number tree with its depth,
//! its size and the inflated bytes capped. Strings of an encrypted file cannot be read, so its
//! labels are reported unreadable rather than guessed.

use std::collections::{HashMap, HashSet};
use std::io::Read;

/// What a PDF says about its page labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labels {
    /// No `/PageLabels` in the catalog.
    Absent,
    /// One label per physical page.
    Found(Vec<String>),
    /// There may be labels, but they could not be read (why).
    Unreadable(String),
}

/// How deep a number tree, or a nested object, may go.
const MAX_DEPTH: usize = 32;
/// The most label ranges read from the tree.
const MAX_RANGES: usize = 100_000;
/// The most bytes one object stream may inflate to.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// Reads the labels of the `pages` physical pages of the PDF in `bytes`.
pub fn read(bytes: &[u8], pages: usize) -> Labels {
    let doc = Doc::index(bytes);
    let Some(catalog) = doc.catalog() else {
        // Without a catalog there is no telling, unless the labels could be where we cannot look.
        return if find(bytes, b"/PageLabels").is_some() || find(bytes, b"/ObjStm").is_some() {
            Labels::Unreadable("its catalog was not found".into())
        } else {
            Labels::Absent
        };
    };
    let Some(tree) = dict_get(&catalog, b"PageLabels") else { return Labels::Absent };
    if doc.encrypted() {
        return Labels::Unreadable("the file is encrypted".into());
    }
    let mut ranges = Vec::new();
    let mut seen = HashSet::new();
    if let Err(why) = doc.walk(tree, 0, &mut ranges, &mut seen) {
        return Labels::Unreadable(why);
    }
    if ranges.is_empty() {
        return Labels::Unreadable("its /PageLabels tree holds no ranges".into());
    }
    ranges.sort_by_key(|r| r.0);
    Labels::Found(label_pages(&ranges, pages))
}

/// One range of the number tree: from page index `start`, labels of `style` with `prefix`,
/// numbered from `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Range {
    style: Option<u8>,
    prefix: String,
    first: i64,
}

fn label_pages(ranges: &[(i64, Range)], pages: usize) -> Vec<String> {
    (0..pages as i64)
        .map(|index| match ranges.iter().rev().find(|(start, _)| *start <= index) {
            Some((start, range)) => {
                let n = range.first.saturating_add(index - start);
                let number = range.style.map(|s| numeral(s, n)).unwrap_or_default();
                format!("{}{number}", range.prefix)
            }
            // A tree must start at page 0; viewers number pages before its first range plainly.
            None => (index + 1).to_string(),
        })
        .collect()
}

/// `n` in a label style: D decimal, R/r roman, A/a letters (A..Z, AA..ZZ, ...).
fn numeral(style: u8, n: i64) -> String {
    match style {
        b'R' | b'r' if (1..5000).contains(&n) => {
            let roman = roman(n);
            if style == b'r' { roman.to_lowercase() } else { roman }
        }
        b'A' | b'a' if (1..=26 * 100).contains(&n) => {
            let letter = (b'A' + ((n - 1) % 26) as u8) as char;
            let s: String = std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect();
            if style == b'a' { s.to_lowercase() } else { s }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: i64) -> String {
    const PARTS: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, text) in PARTS {
        while n >= value {
            out.push_str(text);
            n -= value;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Vec<(Vec<u8>, Obj)>),
    Ref(u32),
}

fn dict_get<'o>(obj: &'o Obj, key: &[u8]) -> Option<&'o Obj> {
    match obj {
        Obj::Dict(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// Where an object is defined: at an offset of the file, or as the `index`th object of an
/// object stream. `at` orders definitions (the later one wins).
#[derive(Debug, Clone, Copy)]
enum Place {
    Direct(usize),
    Packed { stream: u32, index: usize },
}

struct Doc<'a> {
    bytes: &'a [u8],
    objects: HashMap<u32, (usize, Place)>,
    /// Object streams already inflated: their data and the (number, offset) of each member.
    streams: std::cell::RefCell<HashMap<u32, Option<std::rc::Rc<ObjStream>>>>,
}

struct ObjStream {
    data: Vec<u8>,
    first: usize,
    members: Vec<(u32, usize)>,
}

impl<'a> Doc<'a> {
    fn index(bytes: &'a [u8]) -> Doc<'a> {
        let mut objects: HashMap<u32, (usize, Place)> = HashMap::new();
        let mut at = 0;
        while let Some(found) = find(&bytes[at..], b"obj") {
            let pos = at + found;
            at = pos + 3;
            if bytes.get(pos + 3).is_some_and(|c| !is_white(*c) && !is_delim(*c)) {
                continue;
            }
            if let Some(number) = header_before(bytes, pos) {
                let entry = objects.entry(number).or_insert((pos, Place::Direct(pos + 3)));
                if entry.0 <= pos {
                    *entry = (pos, Place::Direct(pos + 3));
                }
            }
        }
        let mut doc = Doc { bytes, objects, streams: Default::default() };
        // Members of object streams, placed where their stream is in the file.
        let direct: Vec<(u32, usize, usize)> = doc
            .objects
            .iter()
            .filter_map(|(n, (pos, place))| match place {
                Place::Direct(body) => Some((*n, *pos, *body)),
                Place::Packed { .. } => None,
            })
            .collect();
        for (number, pos, body) in direct {
            let mut lexer = Lexer { b: bytes, pos: body };
            let Some(obj) = lexer.object(0) else { continue };
            if dict_get(&obj, b"Type") != Some(&Obj::Name(b"ObjStm".to_vec())) {
                continue;
            }
            let Some(stream) = doc.inflate(number, body) else { continue };
            for (index, (member, _)) in stream.members.iter().enumerate() {
                let entry = doc.objects.entry(*member).or_insert((pos, Place::Packed { stream: number, index }));
                if entry.0 < pos {
                    *entry = (pos, Place::Packed { stream: number, index });
                }
            }
            doc.streams.borrow_mut().insert(number, Some(std::rc::Rc::new(stream)));
        }
        doc
    }

    /// The object numbered `number`, as last defined.
    fn get(&self, number: u32) -> Option<Obj> {
        match self.objects.get(&number)?.1 {
            Place::Direct(body) => Lexer { b: self.bytes, pos: body }.object(0),
            Place::Packed { stream, index } => {
                let stream = self.streams.borrow().get(&stream).cloned().flatten()?;
                let (_, offset) = *stream.members.get(index)?;
                Lexer { b: &stream.data, pos: stream.first.checked_add(offset)? }.object(0)
            }
        }
    }

    fn resolve(&self, obj: &Obj) -> Option<Obj> {
        match obj {
            Obj::Ref(n) => self.get(*n),
            other => Some(other.clone()),
        }
    }

    /// The object stream whose dictionary starts at `body`, inflated, with its members listed.
    fn inflate(&self, number: u32, body: usize) -> Option<ObjStream> {
        let mut lexer = Lexer { b: self.bytes, pos: body };
        let dict = lexer.object(0)?;
        lexer.skip_space();
        if !lexer.eat_keyword(b"stream") {
            return None;
        }
        if self.bytes.get(lexer.pos) == Some(&b'\r') {
            lexer.pos += 1;
        }
        if self.bytes.get(lexer.pos) == Some(&b'\n') {
            lexer.pos += 1;
        }
        let start = lexer.pos;
        let length = match dict_get(&dict, b"Length") {
            Some(Obj::Int(n)) if *n >= 0 => Some(*n as usize),
            // An indirect length, unless it points back at this stream.
            Some(Obj::Ref(n)) if *n != number => match self.get(*n) {
                Some(Obj::Int(n)) if n >= 0 => Some(n as usize),
                _ => None,
            },
            _ => None,
        };
        let end = match length {
            Some(n) if start.checked_add(n).is_some_and(|e| e <= self.bytes.len()) => start + n,
            _ => start + find(&self.bytes[start..], b"endstream")?,
        };
        let raw = &self.bytes[start..end];
        let data = match dict_get(&dict, b"Filter") {
            None => raw.to_vec(),
            Some(Obj::Name(f)) if f == b"FlateDecode" => inflate(raw)?,
            Some(Obj::Array(fs)) if fs.len() == 1 && fs[0] == Obj::Name(b"FlateDecode".to_vec()) => inflate(raw)?,
            Some(_) => return None,
        };
        if dict_get(&dict, b"DecodeParms").is_some_and(|p| !matches!(p, Obj::Null)) {
            // Predictors are for images and cross-reference streams; an object stream with one is
            // not read.
            return None;
        }
        let count = match dict_get(&dict, b"N") {
            Some(Obj::Int(n)) if (0..=1_000_000).contains(n) => *n as usize,
            _ => return None,
        };
        let first = match dict_get(&dict, b"First") {
            Some(Obj::Int(n)) if *n >= 0 => *n as usize,
            _ => return None,
        };
        let mut header = Lexer { b: &data, pos: 0 };
        let mut members = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let (Some(Obj::Int(n)), Some(Obj::Int(offset))) = (header.object(0), header.object(0)) else {
                return None;
            };
            members.push((u32::try_from(n).ok()?, usize::try_from(offset).ok()?));
        }
        Some(ObjStream { data, first, members })
    }

    /// The document catalog: the last `/Root` reference in the file (trailers and
    /// cross-reference stream dictionaries are never compressed), else the last object typed
    /// `/Catalog`.
    fn catalog(&self) -> Option<Obj> {
        let mut end = self.bytes.len();
        for _ in 0..16 {
            let Some(pos) = rfind(&self.bytes[..end], b"/Root") else { break };
            end = pos;
            let mut lexer = Lexer { b: self.bytes, pos: pos + 5 };
            if let Some(Obj::Ref(n)) = lexer.object(0)
                && let Some(catalog) = self.get(n).filter(|c| matches!(c, Obj::Dict(_)))
            {
                return Some(catalog);
            }
        }
        let mut numbers: Vec<(usize, u32)> = self.objects.iter().map(|(n, (pos, _))| (*pos, *n)).collect();
        numbers.sort_unstable();
        numbers
            .into_iter()
            .rev()
            .filter_map(|(_, n)| self.get(n))
            .find(|o| dict_get(o, b"Type") == Some(&Obj::Name(b"Catalog".to_vec())))
    }

    fn encrypted(&self) -> bool {
        find(self.bytes, b"/Encrypt").is_some()
    }

    /// Collects the ranges of a number tree node and its kids.
    fn walk(
        &self,
        node: &Obj,
        depth: usize,
        ranges: &mut Vec<(i64, Range)>,
        seen: &mut HashSet<u32>,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("its /PageLabels tree is too deep".into());
        }
        if let Obj::Ref(n) = node
            && !seen.insert(*n)
        {
            return Err("its /PageLabels tree loops".into());
        }
        let node = self.resolve(node).ok_or("a node of its /PageLabels tree is missing")?;
        if let Some(nums) = dict_get(&node, b"Nums") {
            let Some(Obj::Array(nums)) = self.resolve(nums) else {
                return Err("its /PageLabels /Nums is not an array".into());
            };
            for pair in nums.chunks(2) {
                let [key, value] = pair else { return Err("its /PageLabels /Nums has an odd length".into()) };
                let Obj::Int(start) = key else { return Err("a /PageLabels key is not a page index".into()) };
                let value = self.resolve(value).ok_or("a page label is missing")?;
                ranges.push((*start, self.range(&value)?));
                if ranges.len() > MAX_RANGES {
                    return Err("its /PageLabels tree is too large".into());
                }
            }
        }
        if let Some(kids) = dict_get(&node, b"Kids") {
            let Some(Obj::Array(kids)) = self.resolve(kids) else {
                return Err("its /PageLabels /Kids is not an array".into());
            };
            for kid in &kids {
                self.walk(kid, depth + 1, ranges, seen)?;
            }
        }
        Ok(())
    }

    fn range(&self, label: &Obj) -> Result<Range, String> {
        if !matches!(label, Obj::Dict(_)) {
            return Err("a page label is not a dictionary".into());
        }
        let style = match dict_get(label, b"S").and_then(|s| self.resolve(s)) {
            None => None,
            Some(Obj::Name(s)) if matches!(s.as_slice(), b"D" | b"R" | b"r" | b"A" | b"a") => Some(s[0]),
            Some(_) => return Err("a page label has an unknown numbering style".into()),
        };
        let prefix = match dict_get(label, b"P").and_then(|p| self.resolve(p)) {
            None => String::new(),
            Some(Obj::Str(s)) => text_string(&s),
            Some(_) => return Err("a page label's prefix is not a string".into()),
        };
        let first = match dict_get(label, b"St").and_then(|s| self.resolve(s)) {
            None => 1,
            Some(Obj::Int(n)) if n >= 1 => n,
            Some(_) => return Err("a page label's start is not a positive number".into()),
        };
        Ok(Range { style, prefix, first })
    }
}

/// A PDF text string: UTF-16BE or UTF-8 after their byte-order marks, else PDFDocEncoding (read
/// as Latin-1, which it matches for letters and digits). Control characters are dropped.
fn text_string(bytes: &[u8]) -> String {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|b| *b as char).collect()
    };
    text.chars().filter(|c| !c.is_control()).collect()
}

fn inflate(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(raw).take(MAX_INFLATED + 1);
    decoder.read_to_end(&mut out).ok()?;
    (out.len() as u64 <= MAX_INFLATED).then_some(out)
}

/// The object number of an `N G obj` header whose `obj` is at `pos`.
fn header_before(b: &[u8], pos: usize) -> Option<u32> {
    let mut i = pos;
    let skip_white = |i: &mut usize| {
        let start = *i;
        while *i > 0 && is_white(b[*i - 1]) {
            *i -= 1;
        }
        *i < start
    };
    let digits = |i: &mut usize| {
        let end = *i;
        while *i > 0 && b[*i - 1].is_ascii_digit() && end - *i < 10 {
            *i -= 1;
        }
        (*i < end).then(|| std::str::from_utf8(&b[*i..end]).ok()?.parse::<u64>().ok()).flatten()
    };
    if !skip_white(&mut i) {
        return None;
    }
    digits(&mut i)?;
    if !skip_white(&mut i) {
        return None;
    }
    let number = digits(&mut i)?;
    if i > 0 && !is_white(b[i - 1]) && !is_delim(b[i - 1]) {
        return None;
    }
    u32::try_from(number).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn is_white(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// A tokenizer for the objects of a PDF's syntax (no streams: a stream's dictionary is read and
/// its data left where it is).
struct Lexer<'b> {
    b: &'b [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &[u8] {
        let start = self.pos;
        while self.peek().is_some_and(|c| !is_white(c) && !is_delim(c)) {
            self.pos += 1;
        }
        &self.b[start..self.pos]
    }

    fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let save = self.pos;
        if self.regular() == word {
            true
        } else {
            self.pos = save;
            false
        }
    }

    fn object(&mut self, depth: usize) -> Option<Obj> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'/' => {
                self.pos += 1;
                Some(Obj::Name(unescape_name(self.regular())))
            }
            b'(' => self.literal().map(Obj::Str),
            b'<' if self.b.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut entries = Vec::new();
                loop {
                    self.skip_space();
                    if self.b.get(self.pos..self.pos + 2) == Some(b">>") {
                        self.pos += 2;
                        return Some(Obj::Dict(entries));
                    }
                    let Obj::Name(key) = self.object(depth + 1)? else { return None };
                    let value = self.object(depth + 1)?;
                    entries.push((key, value));
                }
            }
            b'<' => self.hex().map(Obj::Str),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        return Some(Obj::Array(items));
                    }
                    items.push(self.object(depth + 1)?);
                }
            }
            c if c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.') => self.number(),
            _ => match self.regular() {
                b"true" => Some(Obj::Bool(true)),
                b"false" => Some(Obj::Bool(false)),
                b"null" => Some(Obj::Null),
                _ => None,
            },
        }
    }

    /// A number, or a reference `N G R`.
    fn number(&mut self) -> Option<Obj> {
        let word = std::str::from_utf8(self.regular()).ok()?.to_string();
        let Ok(n) = word.parse::<i64>() else { return word.parse::<f64>().ok().map(Obj::Real) };
        if n >= 0 {
            let save = self.pos;
            self.skip_space();
            let generation = std::str::from_utf8(self.regular()).ok().and_then(|g| g.parse::<u32>().ok());
            self.skip_space();
            if generation.is_some() && self.eat_keyword(b"R") {
                return u32::try_from(n).ok().map(Obj::Ref);
            }
            self.pos = save;
        }
        Some(Obj::Int(n))
    }

    fn literal(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' if depth == 0 => return Some(out),
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut value = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(value as u8);
                        }
                        // A backslash at the end of a line continues the string on the next.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    fn hex(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut digits = Vec::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'>' => break,
                c if c.is_ascii_hexdigit() => digits.push(c),
                c if is_white(c) => {}
                _ => return None,
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(b'0');
        }
        digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
    }
}

/// A name with its `#xx` escapes decoded.
fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && let Some(v) =
                raw.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A PDF of `pages` empty pages whose catalog carries `labels` (the text after
    /// `/PageLabels`), its objects written plainly with a classic cross-reference table.
    fn plain_pdf(pages: usize, labels: Option<&str>) -> Vec<u8> {
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + i)).collect();
        let mut objects = vec![
            format!(
                "<< /Type /Catalog /Pages 2 0 R{} >>",
                labels.map(|l| format!(" /PageLabels {l}")).unwrap_or_default()
            ),
            format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")),
        ];
        objects.extend((0..pages).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>".to_string()));
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes(),
        );
        out
    }

    #[test]
    fn roman_front_matter_then_decimal_pages() {
        let pdf = plain_pdf(6, Some("<< /Nums [0 << /P (Cover) >> 1 << /S /r >> 3 << /S /D >>] >>"));
        assert_eq!(
            read(&pdf, 6),
            Labels::Found(vec!["Cover".into(), "i".into(), "ii".into(), "1".into(), "2".into(), "3".into()])
        );
    }

    #[test]
    fn prefixes_starts_letters_and_escapes() {
        let pdf = plain_pdf(
            5,
            Some(
                "<< /Nums [0 << /S /D /St 12 >> 2 << /S /A /P (App\\056 ) >> 4 << /S /R /St 4 /P <FEFF0041002D> >>] >>",
            ),
        );
        assert_eq!(
            read(&pdf, 5),
            Labels::Found(vec!["12".into(), "13".into(), "App. A".into(), "App. B".into(), "A-IV".into()])
        );
        assert_eq!(numeral(b'a', 28), "bb");
        assert_eq!(numeral(b'R', 1994), "MCMXCIV");
        assert_eq!(numeral(b'r', 0), "0", "roman has no zero: decimal instead");
    }

    #[test]
    fn a_tree_with_kids_and_indirect_labels() {
        let mut pdf = plain_pdf(4, Some("90 0 R"));
        pdf.extend(
            b"90 0 obj << /Kids [91 0 R 92 0 R] >> endobj\n91 0 obj << /Nums [0 93 0 R] /Limits [0 0] >> endobj\n",
        );
        pdf.extend(b"92 0 obj << /Nums [2 << /S /D >>] >> endobj\n93 0 obj << /S /a >> endobj\n");
        assert_eq!(read(&pdf, 4), Labels::Found(vec!["a".into(), "b".into(), "1".into(), "2".into()]));
    }

    #[test]
    fn no_labels_broken_trees_and_encryption_are_reported() {
        assert_eq!(read(&plain_pdf(2, None), 2), Labels::Absent);
        let looped = {
            let mut pdf = plain_pdf(2, Some("90 0 R"));
            pdf.extend(b"90 0 obj << /Kids [90 0 R] >> endobj\n");
            pdf
        };
        assert!(matches!(read(&looped, 2), Labels::Unreadable(why) if why.contains("loops")));
        let odd = plain_pdf(2, Some("<< /Nums [0] >>"));
        assert!(matches!(read(&odd, 2), Labels::Unreadable(why) if why.contains("odd")));
        let mut encrypted = plain_pdf(2, Some("<< /Nums [0 << /S /D >>] >>"));
        encrypted.extend(b"trailer << /Root 1 0 R /Encrypt 99 0 R >>\n");
        assert!(matches!(read(&encrypted, 2), Labels::Unreadable(why) if why.contains("encrypted")));
        assert_eq!(read(b"%PDF-1.4 nothing here", 1), Labels::Absent);
        assert!(matches!(read(b"%PDF-1.4 /PageLabels but no catalog", 1), Labels::Unreadable(_)));
    }

    #[test]
    fn an_incremental_update_replaces_the_labels() {
        let mut pdf = plain_pdf(3, Some("<< /Nums [0 << /S /D >>] >>"));
        pdf.extend(b"1 0 obj << /Type /Catalog /Pages 2 0 R /PageLabels << /Nums [0 << /S /D /St 5 >>] >> >> endobj\n");
        pdf.extend(b"trailer << /Size 6 /Root 1 0 R /Prev 9 >>\n%%EOF\n");
        assert_eq!(read(&pdf, 3), Labels::Found(vec!["5".into(), "6".into(), "7".into()]));
    }

    #[test]
    fn a_catalog_in_a_compressed_object_stream() {
        // As PDF 1.5 writers store it: the catalog and the labels packed in an object stream,
        // found through a cross-reference stream's /Root.
        let members =
            ["<< /Type /Catalog /Pages 2 0 R /PageLabels 5 0 R >>", "<< /Nums [0 << /S /R >> 1 << /S /D >>] >>"];
        let mut header = String::new();
        let mut body = String::new();
        for (n, m) in [1u32, 5].iter().zip(members) {
            header.push_str(&format!("{n} {} ", body.len()));
            body.push_str(m);
            body.push('\n');
        }
        let data = format!("{header}{body}");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data.as_bytes()).unwrap();
        let packed = z.finish().unwrap();
        let mut pdf = b"%PDF-1.5\n2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj\n".to_vec();
        pdf.extend(b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n4 0 obj << /Type /Page /Parent 2 0 R >> endobj\n");
        pdf.extend(
            format!(
                "6 0 obj << /Type /ObjStm /N 2 /First {} /Filter /FlateDecode /Length 7 0 R >> stream\n",
                header.len()
            )
            .bytes(),
        );
        pdf.extend(&packed);
        pdf.extend(format!("\nendstream endobj\n7 0 obj {} endobj\n", packed.len()).bytes());
        pdf.extend(b"8 0 obj << /Type /XRef /Root 1 0 R /Size 9 /W [1 2 1] /Length 0 >> stream\n\nendstream endobj\n");
        assert_eq!(read(&pdf, 3), Labels::Found(vec!["I".into(), "1".into(), "2".into()]));
    }

    #[test]
    fn hostile_bytes_end_without_a_panic() {
        let pdf = plain_pdf(3, Some("<< /Nums [0 << /S /D /P (unterminated >> ] >>"));
        for cut in (0..pdf.len()).step_by(7) {
            let _ = read(&pdf[..cut], 3);
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Lexer { b: deep.as_bytes(), pos: 0 }.object(0).is_none(), "nesting is capped");
        assert!(matches!(read(&pdf, 3), Labels::Unreadable(_)));
    }
}
