//! `multipart/form-data` request bodies: file parts and text parts.

use std::borrow::Cow;

use bytes::Bytes;

use super::error::Error;
use super::request::RequestBody;

/// A file to upload in a `multipart/form-data` body (a `format: binary` property).
///
/// In a JSON body (where `binary` is unusual) the bytes travel as a UTF-8 string.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part holding `bytes` (sent as `application/octet-stream` unless set otherwise).
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in the part's `Content-Disposition`.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        Ok(FilePart::new(text))
    }
}

/// Writes the parts of a `multipart/form-data` body.
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

/// A type sent as a `multipart/form-data` body: writes one part per property.
pub trait MultipartForm {
    /// Appends this value's parts.
    fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error>;
}

impl Multipart {
    fn new() -> Self {
        Self {
            boundary: format!(
                "gks-form-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            ),
            body: Vec::new(),
        }
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>) {
        let quote = |s: &str| s.replace(['"', '\r', '\n'], "_");
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.body.extend_from_slice(quote(name).as_bytes());
        self.body.push(b'"');
        if let Some(file_name) = file_name {
            self.body.extend_from_slice(b"; filename=\"");
            self.body.extend_from_slice(quote(file_name).as_bytes());
            self.body.push(b'"');
        }
        if let Some(content_type) = content_type {
            self.body.extend_from_slice(b"\r\nContent-Type: ");
            self.body.extend_from_slice(quote(content_type).as_bytes());
        }
        self.body.extend_from_slice(b"\r\n\r\n");
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.head(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
    }

    /// A file part.
    pub fn file(&mut self, name: &str, part: &FilePart) {
        let content_type = part
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let file_name = part.file_name.as_deref().unwrap_or(name);
        self.head(name, Some(file_name), Some(content_type));
        self.body.extend_from_slice(&part.bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    /// A part holding a value as JSON text (objects and arrays of non-file values).
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let text = serde_json::to_string(value)?;
        self.head(name, None, Some("application/json"));
        self.body.extend_from_slice(text.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        Ok(())
    }

    fn finish(mut self) -> RequestBody {
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body.extend_from_slice(b"--\r\n");
        RequestBody {
            content_type: Cow::Owned(format!("multipart/form-data; boundary={}", self.boundary)),
            bytes: Bytes::from(self.body),
        }
    }
}

/// Encodes a form as a `multipart/form-data` body.
pub fn multipart_body<T: MultipartForm, E>(value: &T) -> Result<RequestBody, Error<E>> {
    let mut form = Multipart::new();
    value.write_parts(&mut form).map_err(|e| {
        Error::invalid_request_with_source("", "the multipart body cannot be encoded", e)
    })?;
    Ok(form.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Upload {
        title: String,
        file: FilePart,
    }

    impl MultipartForm for Upload {
        fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error> {
            form.text("title", &self.title);
            form.file("file", &self.file);
            Ok(())
        }
    }

    #[test]
    fn writes_text_and_file_parts_between_boundaries() {
        let upload = Upload {
            title: "Cards".to_string(),
            file: FilePart::new(&b"%PDF"[..])
                .with_file_name("cards.pdf")
                .with_content_type("application/pdf"),
        };
        let body = multipart_body::<_, ()>(&upload).expect("encodes");
        let boundary = body
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary in the content type")
            .to_string();
        let text = String::from_utf8(body.bytes.to_vec()).expect("utf-8");
        assert_eq!(
            text,
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCards\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cards.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--{b}--\r\n",
                b = boundary
            )
        );
    }

    #[test]
    fn file_parts_never_print_their_bytes() {
        let part = FilePart::new(&b"secret contents"[..]).with_file_name("a.txt");
        let debug = format!("{part:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("len: 15"), "{debug}");
    }
}
