//! Generated code as a sequence of pieces: tokens for prettyplease, or text already laid out.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::error::{Error, Result};
use crate::pointer::Pointer;

/// One piece of an item.
enum Piece {
    /// Tokens of whole items, which the formatter lays out.
    Tokens(TokenStream),
    /// Text of whole items, already in the formatter's layout (see [`super::text`]).
    Text(String),
    /// Rust source of whole items, to be formatted.
    Source(String),
    /// Tokens of one item ending in a block, and Rust source to put at the end of that block:
    /// laid out already (`laid_out`), or to be formatted with the item.
    Inside {
        tokens: TokenStream,
        source: String,
        laid_out: bool,
    },
}

/// The code of one module item (or of several), in order. Formatting it gives the same text as
/// formatting all of it as one token stream: the formatter prints consecutive items one after
/// the other with nothing between them, and the items of a block each on their own lines.
#[derive(Default)]
pub(crate) struct Code {
    pieces: Vec<Piece>,
}

impl Code {
    /// Appends tokens of whole items.
    pub fn tokens(&mut self, tokens: TokenStream) -> &mut Self {
        if !tokens.is_empty() {
            self.pieces.push(Piece::Tokens(tokens));
        }
        self
    }

    /// Appends Rust source of whole items; `laid_out` says that it is in the formatter's layout
    /// already, so it is not formatted.
    pub fn source(&mut self, source: String, laid_out: bool) -> &mut Self {
        self.pieces.push(if laid_out {
            Piece::Text(source)
        } else {
            Piece::Source(source)
        });
        self
    }

    /// Appends the item `tokens` (ending in a block, such as an `impl`) with `source` added at
    /// the end of its block; `laid_out` says that `source` is in the formatter's layout already.
    pub fn inside(&mut self, tokens: TokenStream, source: String, laid_out: bool) -> &mut Self {
        self.pieces.push(Piece::Inside {
            tokens,
            source,
            laid_out,
        });
        self
    }

    /// The formatted text: each token piece formatted with `format`, text pieces as they are.
    pub fn format(self, format: impl Fn(TokenStream) -> Result<String>) -> Result<String> {
        let mut out = String::new();
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => out.push_str(&format(tokens)?),
                Piece::Text(text) => out.push_str(&text),
                Piece::Source(source) => out.push_str(&format(lex(&source)?)?),
                Piece::Inside {
                    tokens,
                    source,
                    laid_out: true,
                } => {
                    let item = format(tokens)?;
                    let open = item
                        .strip_suffix("}\n")
                        .ok_or_else(|| internal("an item does not end in a block"))?;
                    out.push_str(open);
                    // An empty block is printed `{}`; a filled one has its items on new lines.
                    if open.ends_with('{') && !source.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&source);
                    out.push_str("}\n");
                }
                Piece::Inside {
                    tokens,
                    source,
                    laid_out: false,
                } => {
                    out.push_str(&format(append_to_block(tokens, lex(&source)?)?)?);
                }
            }
        }
        Ok(out)
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        let mut code = Code::default();
        code.tokens(tokens);
        code
    }
}

/// `tokens` with `extra` appended inside its last token, a `{ ... }` group.
fn append_to_block(tokens: TokenStream, extra: TokenStream) -> Result<TokenStream> {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    match trees.pop() {
        Some(TokenTree::Group(block)) if block.delimiter() == Delimiter::Brace => {
            let mut inner = block.stream();
            inner.extend(extra);
            trees.push(TokenTree::Group(Group::new(Delimiter::Brace, inner)));
            Ok(trees.into_iter().collect())
        }
        _ => Err(internal("an item does not end in a block")),
    }
}

/// The tokens of generated Rust source.
fn lex(source: &str) -> Result<TokenStream> {
    source
        .parse()
        .map_err(|e| internal(&format!("generated source does not lex ({e})")))
}

fn internal(message: &str) -> Error {
    Error::new(
        &Pointer::root(),
        format!("internal: {message}; please report this with the spec"),
    )
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn format(tokens: TokenStream) -> Result<String> {
        let file: syn::File = syn::parse2(tokens).map_err(|e| internal(&e.to_string()))?;
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn pieces_read_as_the_whole_formatted_at_once() {
        let whole = format(quote! {
            struct A;
            impl A {
                fn a() {}
                fn b(x: u8) -> u8 { x }
            }
            struct B;
        });
        let source = "    fn b(x: u8) -> u8 {\n        x\n    }\n".to_string();
        for laid_out in [true, false] {
            let mut code = Code::default();
            code.tokens(quote!(
                struct A;
            ))
            .inside(quote!(impl A { fn a() {} }), source.clone(), laid_out)
            .source("struct  B ;".to_string(), false);
            assert_eq!(code.format(format).ok(), whole.as_ref().ok().cloned());
        }
        let mut code = Code::default();
        code.inside(
            quote!(
                struct A;
            ),
            String::new(),
            false,
        );
        assert!(code.format(format).is_err(), "not a block");
    }
}
