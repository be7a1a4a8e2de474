//! `application/x-www-form-urlencoded` request bodies.

/// Characters kept as they are in `application/x-www-form-urlencoded` (the WHATWG set).
const FORM_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b' ');

/// Encodes an object as `application/x-www-form-urlencoded`: scalars as text, arrays as repeated
/// keys, nested objects as JSON text, `null` members left out.
pub fn form_body<T: serde::Serialize + ?Sized, E>(
    value: &T,
) -> Result<super::request::RequestBody, super::Error<E>> {
    let json = serde_json::to_value(value).map_err(|e| {
        super::Error::invalid_request("", format!("the form body cannot be encoded: {e}"))
    })?;
    let serde_json::Value::Object(members) = json else {
        return Err(super::Error::invalid_request(
            "",
            "a form body must be an object",
        ));
    };
    let mut out = String::new();
    for (key, value) in &members {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in items {
                    form_pair(&mut out, key, item);
                }
            }
            other => form_pair(&mut out, key, other),
        }
    }
    Ok(super::request::RequestBody {
        content_type: std::borrow::Cow::Borrowed("application/x-www-form-urlencoded"),
        bytes: bytes::Bytes::from(out),
    })
}

fn form_pair(out: &mut String, key: &str, value: &serde_json::Value) {
    if !out.is_empty() {
        out.push('&');
    }
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, FORM_SET)
            .to_string()
            .replace(' ', "+")
    };
    out.push_str(&encode(key));
    out.push('=');
    out.push_str(&encode(&text));
}
