//! Serde helpers used by the generated types.

use serde::{Deserialize, Deserializer};

/// For a field that is required but nullable: the key must be present, `null` gives `None`.
///
/// Use as `#[serde(deserialize_with = "...")]` on an `Option<T>` field *without*
/// `#[serde(default)]`: serde then reports a missing key as an error instead of treating it as
/// `None`, as it does for plain `Option` fields.
#[allow(dead_code)] // used by generated types, depending on the API description
pub(crate) fn deserialize_required_nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Example {
        #[serde(deserialize_with = "super::deserialize_required_nullable")]
        number: Option<String>,
        #[serde(default)]
        optional: Option<String>,
    }

    #[test]
    fn null_is_none_and_missing_is_an_error() {
        let value: Result<Example, _> = serde_json::from_str(r#"{"number": null}"#);
        assert_eq!(
            value.ok(),
            Some(Example {
                number: None,
                optional: None
            })
        );
        let value: Result<Example, _> = serde_json::from_str(r#"{"number": "K1"}"#);
        assert_eq!(value.ok().and_then(|e| e.number).as_deref(), Some("K1"));
        let missing = serde_json::from_str::<Example>("{}");
        match missing {
            Err(e) => assert!(e.to_string().contains("missing field `number`"), "{e}"),
            Ok(v) => panic!("missing key accepted: {v:?}"),
        }
        assert!(serde_json::from_str::<Example>(r#"{"number": 5}"#).is_err());
    }
}
