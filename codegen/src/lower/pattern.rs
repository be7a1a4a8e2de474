//! `pattern` keywords: ECMA-262 regular expressions (what OpenAPI specifies) translated to the
//! `regex` crate's syntax, and checked by compiling them as the generated client will.
//!
//! ECMA-262 classes are ASCII where the `regex` crate's are Unicode: `\d` is `[0-9]`, `\w` is
//! `[0-9A-Za-z_]`, `\b` is an ASCII word boundary, and `\s` is a fixed list of spaces. Those are
//! written out; inside a class `\b` is a backspace and `[` is a literal, as in ECMA-262.

/// ECMA-262 `\s`: WhiteSpace and LineTerminator code points, as the body of a class.
const ECMA_SPACE: &str =
    r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";

/// The pattern in the `regex` crate's syntax, with ECMA-262 meaning.
pub(crate) fn to_rust_syntax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    out.push('\\');
                    break;
                };
                out.push_str(&escape(escaped, in_class));
            }
            '[' if in_class => out.push_str(r"\["),
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// One escape sequence `\c` in the `regex` crate's syntax.
fn escape(c: char, in_class: bool) -> String {
    let class = |body: &str, negated: bool| match (in_class, negated) {
        (true, false) => body.to_string(),
        (_, true) => format!("[^{body}]"),
        (false, false) => format!("[{body}]"),
    };
    match c {
        'd' => class(DIGIT, false),
        'D' => class(DIGIT, true),
        'w' => class(WORD, false),
        'W' => class(WORD, true),
        's' => class(ECMA_SPACE, false),
        'S' => class(ECMA_SPACE, true),
        'b' if in_class => r"\x08".to_string(),
        'b' => r"(?-u:\b)".to_string(),
        'B' => r"(?-u:\B)".to_string(),
        '0' => r"\x00".to_string(),
        '/' => "/".to_string(),
        c => format!("\\{c}"),
    }
}

/// The largest compiled pattern enforced (1 MiB; the generated client allows 10 MiB, so every
/// pattern accepted here compiles there), which also bounds the time one check takes.
pub(crate) const PATTERN_SIZE_LIMIT: usize = 1 << 20;
/// Distinct patterns checked per document; the rest are not enforced (with a warning).
pub(crate) const MAX_PATTERNS: usize = 1000;

/// Why the generated client could not use `pattern` (already in the `regex` crate's syntax),
/// or why it is not enforced: larger than [`PATTERN_SIZE_LIMIT`] once compiled.
pub(crate) fn compile_problem(pattern: &str) -> Option<String> {
    match regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
    {
        Ok(_) => None,
        Err(regex::Error::CompiledTooBig(limit)) => Some(format!(
            "compiled, the pattern would be larger than {limit} bytes"
        )),
        Err(e) => Some(format!(
            "the regex crate cannot compile it ({})",
            e.to_string()
                .lines()
                .last()
                .unwrap_or("invalid pattern")
                .trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(&to_rust_syntax(pattern))
            .map(|re| re.is_match(text))
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    #[test]
    fn classes_are_ascii_as_in_ecma_262() {
        assert!(matches(r"^\d+$", "123"));
        assert!(!matches(r"^\d+$", "١٢٣"), "Arabic-Indic digits are not \\d");
        assert!(matches(r"^\D$", "١"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(matches(r"^[\w-]+$", "a-b_c"));
        assert!(!matches(r"^[\d]$", "٣"));
        assert!(matches(r"^[^\D]$", "3"));
        assert!(matches(r"^\s$", "\u{feff}"));
        assert!(!matches(r"^\s$", "\u{85}"));
        assert!(
            !matches(r"\bé", " é"),
            "é is no word character: no boundary before it"
        );
        assert!(matches(r"a\bé", "aé"));
        assert!(matches(r"^[\b]$", "\u{8}"));
        assert!(matches(r"^[[a]+$", "[a["));
        assert!(matches(r"^a\/b\0$", "a/b\0"));
    }

    #[test]
    fn too_big_patterns_are_named() {
        assert_eq!(compile_problem(&to_rust_syntax(r"^\w{5000}$")), None);
        let problem = compile_problem(&to_rust_syntax(r".{50000}")).expect("too big");
        assert!(problem.contains("larger than 1048576 bytes"), "{problem}");
        assert_eq!(compile_problem(r"^[A-Z]{2}\d+$"), None);
        assert!(compile_problem("(?=a)").is_some());
    }
}
