//! An operation's method written as text in prettyplease's layout where its shape is a common
//! one: the signature, and the request of a call without path, query or header parameters.
//! Each writer gives `None` where it does not know the layout; that part is then formatted.

use crate::emit::text::{self, MAX_LINE};

/// `pub async fn name(&self, args) -> Result<runtime::ResponseValue<R>, Error<E>> {` as the
/// formatter lays it out in an `impl` block: on one line; else one parameter per line; else
/// also the return type's two arguments on lines of their own.
pub(super) fn signature(
    name: &str,
    args: &[String],
    returned: &str,
    error: &str,
) -> Option<String> {
    let result = format!("Result<runtime::ResponseValue<{returned}>, Error<{error}>>");
    let params = std::iter::once("&self".to_string())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>();
    let mut broken = text::method_signature(&format!("pub async fn {name}"), &params, &result);
    if broken
        .lines()
        .last()
        .is_some_and(|line| line.len() > MAX_LINE)
    {
        // The return type's arguments on lines of their own.
        let closing = format!("    ) -> {result} {{\n");
        broken.truncate(broken.len() - closing.len());
        broken.push_str(&format!(
            "    ) -> Result<\n        runtime::ResponseValue<{returned}>,\n        Error<{error}>,\n    > {{\n"
        ));
    }
    short_enough(&broken).then_some(broken)
}

/// The values of an `OperationRequest` as text.
pub(super) struct RequestText<'a> {
    pub operation_id: &'a str,
    pub method: &'a str,
    pub path_template: &'a str,
    /// The `path` expression (`String::from("/p")`).
    pub path: String,
    /// The `body` expression (`None`, `Some(runtime::json_body(body)?)`).
    pub body: &'a str,
    pub idempotent: bool,
    pub authenticated: bool,
    pub stream_success: bool,
}

impl RequestText<'_> {
    /// `let request = runtime::OperationRequest { .. };` without query or header parameters
    /// (so both lists are `Vec::new()`), indented for the method's body.
    pub(super) fn statement(&self) -> Option<String> {
        let literal = |text: &str| proc_macro2::Literal::string(text).to_string();
        let text = format!(
            "        let request = runtime::OperationRequest {{
            operation_id: {},
            method: runtime::reqwest::Method::{},
            path_template: {},
            path: {},
            query: Vec::new(),
            headers: Vec::new(),
            body: {},
            idempotent: {},
            authenticated: {},
            stream_success: {},
        }};
",
            literal(self.operation_id),
            self.method,
            literal(self.path_template),
            self.path,
            self.body,
            self.idempotent,
            self.authenticated,
            self.stream_success,
        );
        short_enough(&text).then_some(text)
    }
}

/// Whether every line of `text` is at most [`MAX_LINE`] long.
fn short_enough(text: &str) -> bool {
    text.lines().all(|line| line.len() <= MAX_LINE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::{formatted, in_impl};

    #[test]
    fn laid_out_signatures_read_as_formatted() {
        let (mut one_line, mut params_broken, mut all_broken, mut longest) = (0, 0, 0, 0);
        for len in 1..=70 {
            let name = "m".repeat(len);
            for args in [
                vec![],
                vec![format!("body: &types::{}", "B".repeat(len / 2 + 1))],
            ] {
                for (returned, error) in [
                    ("()".to_string(), "E".to_string()),
                    (
                        format!("types::{}", "R".repeat(len / 3 + 1)),
                        "E".repeat(len / 2 + 1),
                    ),
                ] {
                    let Some(signature) = signature(&name, &args, &returned, &error) else {
                        continue;
                    };
                    match signature.lines().count() {
                        1 => one_line += 1,
                        n if n == args.len() + 3 => params_broken += 1,
                        _ => all_broken += 1,
                    }
                    let widest = signature.lines().map(str::len).max().unwrap_or(0);
                    longest = widest.max(longest);
                    let text = in_impl(&format!("{signature}        todo()\n    }}\n"));
                    assert_eq!(formatted(&text), text, "{len}");
                }
            }
        }
        assert!(one_line > 10 && params_broken > 10 && all_broken > 10);
        assert_eq!(longest, MAX_LINE);
    }

    #[test]
    fn laid_out_requests_read_as_formatted() {
        let mut checked = 0;
        for len in 1..=60 {
            let template = format!("/{}", "p".repeat(len));
            let request = RequestText {
                operation_id: &"o".repeat(len),
                method: "POST",
                path_template: &template,
                path: format!("String::from({})", proc_macro2::Literal::string(&template)),
                body: "Some(runtime::json_body(body)?)",
                idempotent: false,
                authenticated: true,
                stream_success: false,
            };
            if let Some(statement) = request.statement() {
                checked += 1;
                let text = in_impl(&format!("    fn f() {{\n{statement}    }}\n"));
                assert_eq!(formatted(&text), text, "{len}");
            }
        }
        assert!(checked > 40, "{checked}");
    }
}
