//! An operation's method written as text in prettyplease's layout where its shape is a common
//! one: the signature and the request. Where a writer does not know the layout, that part is
//! formatted.

use crate::emit::text::{self, MAX_LINE, Written};

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
    pub path: Written,
    pub query: Written,
    pub headers: Written,
    pub body: Written,
    pub idempotent: bool,
    pub authenticated: bool,
    pub stream_success: bool,
}

impl RequestText<'_> {
    /// `let request = runtime::OperationRequest { .. };` indented for the method's body, and
    /// whether it is in the formatter's layout: each value's shape is known and every line fits.
    pub(super) fn statement(&self) -> (String, bool) {
        let literal = |text: &str| proc_macro2::Literal::string(text).to_string();
        // A value's later lines are indented as its field.
        let value = |written: &Written| written.text.replace('\n', "\n            ");
        let text = format!(
            "        let request = runtime::OperationRequest {{
            operation_id: {},
            method: runtime::reqwest::Method::{},
            path_template: {},
            path: {},
            query: {},
            headers: {},
            body: {},
            idempotent: {},
            authenticated: {},
            stream_success: {},
        }};
",
            literal(self.operation_id),
            self.method,
            literal(self.path_template),
            value(&self.path),
            value(&self.query),
            value(&self.headers),
            value(&self.body),
            self.idempotent,
            self.authenticated,
            self.stream_success,
        );
        let known = [&self.path, &self.query, &self.headers, &self.body]
            .iter()
            .all(|written| written.known);
        let laid_out = known && short_enough(&text);
        (text, laid_out)
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

    /// Values of each shape the parameters and the body give, names of length `len`.
    fn request_values(len: usize) -> [[String; 4]; 2] {
        let name = "n".repeat(len);
        let path = format!(
            "{{\n    let mut __path = String::new();\n    __path.push_str(\"/{name}/\");\n    __path.push_str(&runtime::encode_path_param(\"{name}\", {name})?);\n    __path.push('/');\n    __path\n}}"
        );
        let query = format!(
            "{{\n    let mut __list = Vec::new();\n    if let Some(__value) = {name} {{\n        __list.push((\"{name}\".into(), runtime::ToParam::to_param(&__value)));\n    }}\n    {{\n        let __value = {name};\n        for __item in __value.iter() {{\n            __list.push((\"k\".into(), runtime::ToParam::to_param(__item)));\n        }}\n    }}\n    {{\n        let __value = x;\n        runtime::push_object_query(&mut __list, \"{name}\", __value, true)?;\n    }}\n    __list\n}}"
        );
        let headers = format!(
            "{{\n    let mut __list = Vec::new();\n    if let Some(__value) = {name} {{\n        __list.push((\"{name}\", runtime::ToParam::to_param(__value)));\n    }}\n    __list\n}}"
        );
        let body = "match body {\n    Some(body) => Some(runtime::json_body(body)?),\n    None => None,\n}";
        [
            [
                format!("String::from(\"/{name}\")"),
                "Vec::new()".to_string(),
                "Vec::new()".to_string(),
                "Some(runtime::json_body(body)?)".to_string(),
            ],
            [path, query, headers, body.to_string()],
        ]
    }

    #[test]
    fn laid_out_requests_read_as_formatted() {
        let (mut checked, mut longest) = ([0, 0], 0);
        for len in 1..=70 {
            for (shape, [path, query, headers, body]) in request_values(len).into_iter().enumerate()
            {
                let request = RequestText {
                    operation_id: &"o".repeat(len),
                    method: "POST",
                    path_template: &format!("/{}", "p".repeat(len)),
                    path: Written::known(path),
                    query: Written::known(query),
                    headers: Written::known(headers),
                    body: Written::known(body),
                    idempotent: false,
                    authenticated: true,
                    stream_success: false,
                };
                let (statement, laid_out) = request.statement();
                if laid_out {
                    checked[shape] += 1;
                    longest = statement
                        .lines()
                        .map(str::len)
                        .max()
                        .unwrap_or(0)
                        .max(longest);
                    let text = in_impl(&format!("    fn f() {{\n{statement}    }}\n"));
                    assert_eq!(formatted(&text), text, "{len}");
                }
            }
        }
        assert!(checked[0] > 40 && checked[1] > 4, "{checked:?}");
        assert_eq!(longest, MAX_LINE);
    }
}
