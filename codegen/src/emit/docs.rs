//! Doc comments from spec text, made safe for rustdoc: no doctests, no broken links or HTML.

use crate::ir::Docs;

/// Builds doc comments, one `///` line per line, from paragraphs of markdown-ish text.
#[derive(Debug, Default)]
pub(crate) struct DocBuilder {
    lines: Vec<String>,
}

impl DocBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a paragraph of text from the spec, sanitized.
    pub fn text(&mut self, text: Option<&str>) -> &mut Self {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            self.blank();
            self.lines.extend(sanitize(text));
        }
        self
    }

    /// Adds a line written by the generator (trusted markdown; spec names in it, such as a
    /// path or an operation id, get their control characters written out).
    pub fn line(&mut self, line: impl Into<String>) -> &mut Self {
        self.lines.push(printable(&line.into()).replace('\n', " "));
        self
    }

    /// Starts a new paragraph.
    pub fn blank(&mut self) -> &mut Self {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        self
    }

    /// Title, description (or `fallback` when there is neither), example and default of a schema.
    pub fn docs(&mut self, docs: &Docs, fallback: Option<String>) -> &mut Self {
        self.text(docs.title.as_deref());
        self.text(docs.description.as_deref());
        if docs.title.is_none()
            && docs.description.is_none()
            && let Some(fallback) = fallback
        {
            self.line(fallback);
        }
        if let Some(example) = &docs.example {
            self.blank();
            self.line(format!("Example: {}", code_span(example)));
        }
        if let Some(default) = &docs.default {
            self.blank();
            self.line(format!("Default (when left out): {}", code_span(default)));
        }
        self
    }

    /// The doc comment as the formatter prints `#[doc = " line"]` attributes (written as text,
    /// which skips their round trip through `syn`): one `///` line per line (trailing spaces
    /// dropped), each after `indent`. No line holds a line break (which the formatter would
    /// print as a block comment): [`sanitize`] splits text into lines and [`DocBuilder::line`]
    /// turns breaks into spaces.
    pub fn source(&self, indent: &str) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(indent);
            out.push_str("///");
            if !line.trim().is_empty() {
                out.push(' ');
                out.push_str(line.trim_end_matches(' '));
            }
            out.push('\n');
        }
        out
    }
}

/// Unicode characters that reorder text (rustc denies them in comments and literals).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text with its line breaks (CR LF, lone CR, LF) as `\n` and every other control or bidi
/// character written out as `\u{..}`, so it can stand in a comment.
fn printable(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi_control(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Text on one line for a `//` or `#` comment: every control or bidi character (line breaks
/// included) written out as `\u{..}`.
pub(crate) fn one_line(text: &str) -> String {
    escape_chars(text, |c| c.is_control() || is_bidi_control(c))
}

/// Whether text is printable ASCII, line feeds and tabs only (nearly all generated text), which
/// holds no character to escape. The bytes are checked a block at a time without an early exit
/// inside a block, which the compiler turns into vector instructions: much cheaper than
/// decoding every character.
fn is_plain(text: &str) -> bool {
    text.as_bytes().chunks(64).all(|block| {
        block.iter().fold(true, |plain, &b| {
            plain & ((b.wrapping_sub(b' ') < 95) | (b == b'\n') | (b == b'\t'))
        })
    })
}

/// Formatted Rust source with any control character but line feed and tab, and any bidi
/// character, written out as `\u{..}`. Literals never hold them raw (they are escaped when the
/// tokens are built), so this only reaches comments built from spec text: the last guard.
pub(crate) fn escape_stray_characters(source: String) -> String {
    if is_plain(&source) {
        return source;
    }
    let stray = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if source.contains(stray) {
        escape_chars(&source, stray)
    } else {
        source
    }
}

fn escape_chars(text: &str, escape: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders text as an inline code span, whatever backticks it contains.
pub(crate) fn code_span(text: &str) -> String {
    // Most spans are names: printable ASCII with no backtick, a one-backtick fence.
    if text.bytes().all(|b| b.wrapping_sub(b' ') < 95 && b != b'`') {
        return format!("`{text}`");
    }
    let one_line = printable(text).replace('\n', " ");
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {one_line} {fence}")
    } else {
        format!("{fence}{one_line}{fence}")
    }
}

/// Makes spec prose safe for rustdoc: fenced blocks become `text` blocks and indented lines are
/// un-indented (so neither becomes a doctest); outside code spans `[`, `]`, `<`, `>` are escaped
/// and bare URLs wrapped. Emphasis and other CommonMark survive.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text = printable(text);
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_string());
            } else {
                out.push("```text".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            out.push(escape_inline(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
}

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut parts = line.split('`');
    let mut in_code = false;
    let pieces: Vec<&str> = parts.by_ref().collect();
    let balanced = pieces.len() % 2 == 1;
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            out.push(if balanced { '`' } else { '\'' });
        }
        if in_code && balanced {
            out.push_str(piece);
        } else {
            out.push_str(&escape_prose(piece));
        }
        in_code = !in_code;
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let url_start = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| rest.find(scheme))
            .min();
        let (before, url, after) = match url_start {
            Some(start) => {
                let tail = &rest[start..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\''))
                    .unwrap_or(tail.len());
                let url = tail[..end].trim_end_matches(['.', ',', ';', ':']);
                (&rest[..start], Some(url), &rest[start + url.len()..])
            }
            None => (rest, None, ""),
        };
        for c in before.chars() {
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        if let Some(url) = url {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_reads_as_the_formatted_attributes() {
        let mut doc = DocBuilder::new();
        doc.text(Some(
            "Title  \n\n  indented\r\nlone\rcarriage\ttab \u{202E}bidi\u{7}bell `a`   ",
        ))
        .line("a line\nwith a break   ")
        .blank()
        .line("\t")
        .line("/ a slash");
        let lines = doc.lines.iter().map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        });
        let tokens = quote::quote!(#( #[doc = #lines] )* struct S;);
        let file = syn::parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
        let formatted = escape_stray_characters(prettyplease::unparse(&file));
        assert_eq!(formatted, format!("{}struct S;\n", doc.source("")));
        assert!(doc.lines.len() > 6, "{:?}", doc.lines);
    }

    #[test]
    fn stray_characters_are_escaped_and_plain_text_kept() {
        let plain = "/// a `b`\n\tfn f() {}\n~".to_string();
        assert_eq!(escape_stray_characters(plain.clone()), plain);
        assert_eq!(escape_stray_characters("é".to_string()), "é");
        assert_eq!(
            escape_stray_characters("a\u{7f}\u{85}\u{202e}\rb".to_string()),
            "a\\u{7f}\\u{85}\\u{202e}\\u{d}b"
        );
    }

    #[test]
    fn plain_text_is_printable_ascii_line_feeds_and_tabs() {
        let plain: String = (b' '..=b'~').map(char::from).chain(['\n', '\t']).collect();
        assert!(is_plain(&plain.repeat(3)));
        assert!(is_plain(""));
        for stray in ["\u{7f}", "\u{1f}", "\r", "\u{0}", "é", "\u{202e}"] {
            // A stray character anywhere, in the first block or a later one.
            for at in [0, 63, 64, 200] {
                let mut text = "a".repeat(300);
                text.insert_str(at, stray);
                assert!(!is_plain(&text), "{stray:?} at {at}");
            }
        }
    }

    #[test]
    fn indented_and_fenced_blocks_never_become_doctests() {
        let lines = sanitize("Intro\n    let x = 1;\n```\ncode\n```\n```js\nmore");
        assert_eq!(
            lines,
            [
                "Intro",
                "let x = 1;",
                "```text",
                "code",
                "```",
                "```text",
                "more",
                "```"
            ]
        );
    }

    #[test]
    fn escapes_links_html_and_urls_outside_code() {
        assert_eq!(
            escape_inline("See [docs] at https://example.com/a. Use `Bearer <token>` or <b>"),
            "See \\[docs\\] at <https://example.com/a>. Use `Bearer <token>` or &lt;b&gt;"
        );
        assert_eq!(escape_inline("odd ` tick"), "odd ' tick");
    }

    #[test]
    fn control_and_bidi_characters_never_reach_a_comment() {
        assert_eq!(sanitize("one\rtwo\r\nthree"), ["one", "two", "three"]);
        assert_eq!(sanitize("bell\u{7}\u{202e}x"), ["bell\\u{7}\\u{202e}x"]);
        assert_eq!(code_span("a\rb\u{1b}"), "`a b\\u{1b}`");
        assert_eq!(one_line("spec\n.yaml"), "spec\\u{a}.yaml");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("K100421"), "`K100421`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }
}
