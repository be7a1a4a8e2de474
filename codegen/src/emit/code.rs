//! Generated code as a sequence of pieces: tokens for prettyplease, or text already laid out.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::TokenStream;

use crate::emit::docs::DocBuilder;
use crate::emit::text::Written;
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
    /// Tokens of one statement of a method's body that the surrounding text pieces open and
    /// close, formatted alone in a method of an `impl` block.
    Statement(TokenStream),
    /// [`Piece::Statement`] given as Rust source.
    StatementSource(String),
    /// One member of a block (a function of an impl) as Rust source indented for the block,
    /// which the surrounding text pieces open and close: formatted alone in a `wrapper` block.
    MemberSource {
        source: String,
        wrapper: &'static str,
    },
    /// Tokens of one item ending in a block (`{}`), with members to add at the end of that
    /// block; `wrapper` opens such a block (`impl S`, `struct S`) for formatting a member alone.
    Block {
        tokens: Opening,
        members: Vec<Member>,
        wrapper: &'static str,
    },
}

/// The item a block of members is added to: tokens to format, or text already laid out.
enum Opening {
    Tokens(TokenStream),
    Text(String),
}

/// A member of a block (a field of a struct, a function of an impl) as Rust source, indented
/// for the block: in the formatter's layout already (`laid_out`), or to be formatted.
pub(crate) struct Member {
    pub source: String,
    pub laid_out: bool,
}

impl Member {
    /// A member written in the formatter's layout, laid out when every line but its doc
    /// lines (which are never broken) fits the margin.
    pub fn fitting(source: String) -> Self {
        Member {
            laid_out: source.lines().all(|line| {
                line.trim_start().starts_with("///") || line.len() <= super::text::MAX_LINE
            }),
            source,
        }
    }
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

    /// Appends the item `tokens`, which ends in an empty block (`{}`), with `members` added at
    /// the end of that block; `wrapper` opens a block of the same kind (`impl S`, `struct S`).
    /// A member not laid out is formatted alone in such a block: the formatter lays out each
    /// field and function of a block independently of the others.
    pub fn block(
        &mut self,
        tokens: TokenStream,
        members: Vec<Member>,
        wrapper: &'static str,
    ) -> &mut Self {
        self.pieces.push(Piece::Block {
            tokens: Opening::Tokens(tokens),
            members,
            wrapper,
        });
        self
    }

    /// Appends a doc comment of a top-level item as text, in the formatter's layout: the item's
    /// tokens follow it (without the doc).
    pub fn doc(&mut self, doc: &DocBuilder) -> &mut Self {
        self.pieces.push(Piece::Text(doc.source("")));
        self
    }

    /// Appends the tokens of one statement of a method's body (in an `impl` block) whose
    /// surrounding lines are text pieces: the formatter lays out each statement of a block
    /// independently of the others.
    pub fn statement(&mut self, tokens: TokenStream) -> &mut Self {
        if !tokens.is_empty() {
            self.pieces.push(Piece::Statement(tokens));
        }
        self
    }

    /// One statement of a method's body as written text: as it is where its layout is known,
    /// else formatted alone (as [`Code::statement_source`]).
    pub fn written_statement(&mut self, statement: Written) -> &mut Self {
        self.pieces.push(if statement.known {
            Piece::Text(statement.text)
        } else {
            Piece::StatementSource(statement.text)
        });
        self
    }

    /// [`Code::statement`] given as Rust source, to be formatted.
    pub fn statement_source(&mut self, source: String) -> &mut Self {
        self.pieces.push(Piece::StatementSource(source));
        self
    }

    /// Appends one member of a block (a function of an impl) as Rust source indented for the
    /// block, whose opening and closing lines are text pieces before and after it; `wrapper`
    /// opens a block of the same kind (`impl S`). The formatter lays out each member of a
    /// block independently of the others and of the block's own attributes and docs.
    pub fn member_source(&mut self, source: String, wrapper: &'static str) -> &mut Self {
        self.pieces.push(Piece::MemberSource { source, wrapper });
        self
    }

    /// Appends the pieces of `other`.
    pub fn append(&mut self, other: Code) -> &mut Self {
        self.pieces.extend(other.pieces);
        self
    }

    /// [`Code::block`] with the item as text in the formatter's layout (`impl S {}` and a line
    /// break).
    pub fn text_block(
        &mut self,
        item: String,
        members: Vec<Member>,
        wrapper: &'static str,
    ) -> &mut Self {
        self.pieces.push(Piece::Block {
            tokens: Opening::Text(item),
            members,
            wrapper,
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
                Piece::Statement(tokens) => out.push_str(&formatted_statement(tokens, &format)?),
                Piece::StatementSource(source) => {
                    out.push_str(&formatted_statement(lex(&source)?, &format)?);
                }
                Piece::MemberSource { source, wrapper } => {
                    out.push_str(&formatted_member(wrapper, &source, &format)?);
                }
                Piece::Block {
                    tokens,
                    members,
                    wrapper,
                } => {
                    let item = match tokens {
                        Opening::Tokens(tokens) => format(tokens)?,
                        Opening::Text(text) => text,
                    };
                    let open = item
                        .strip_suffix("}\n")
                        .ok_or_else(|| internal("an item does not end in a block"))?;
                    out.push_str(open);
                    // An empty block is printed `{}`; a filled one has its members on new lines.
                    if open.ends_with('{') && !members.is_empty() {
                        out.push('\n');
                    }
                    for member in members {
                        if member.laid_out {
                            out.push_str(&member.source);
                        } else {
                            out.push_str(&formatted_member(wrapper, &member.source, &format)?);
                        }
                    }
                    out.push_str("}\n");
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

thread_local! {
    /// Members formatted on this thread, by wrapper and source: many members are alike (the
    /// same narrower or check in every operation), and a member's layout depends only on its
    /// source and the kind of block.
    static FORMATTED_MEMBERS: RefCell<HashMap<&'static str, HashMap<String, String>>> =
        RefCell::default();
}

/// Forgets the members this thread has formatted (see [`crate::generate_with`]).
pub(crate) fn forget_formatted_members() {
    FORMATTED_MEMBERS.with(|memo| memo.borrow_mut().clear());
}

/// A member formatted alone in a `wrapper` block, indented for the block (each distinct member
/// formatted once per thread).
fn formatted_member(
    wrapper: &'static str,
    source: &str,
    format: &impl Fn(TokenStream) -> Result<String>,
) -> Result<String> {
    let known = FORMATTED_MEMBERS.with(|memo| {
        memo.borrow()
            .get(wrapper)
            .and_then(|members| members.get(source).cloned())
    });
    if let Some(text) = known {
        return Ok(text);
    }
    let alone = format(lex(&format!("{wrapper} {{\n{source}}}"))?)?;
    let text = block_contents(&alone)?.to_string();
    FORMATTED_MEMBERS.with(|memo| {
        memo.borrow_mut()
            .entry(wrapper)
            .or_default()
            .insert(source.to_string(), text.clone())
    });
    Ok(text)
}

/// The lines between the first line (`impl S {`) and the closing `}` of a formatted block.
fn block_contents(block: &str) -> Result<&str> {
    block
        .split_once('\n')
        .and_then(|(_, rest)| rest.strip_suffix("}\n"))
        .ok_or_else(|| internal("a formatted block has no contents"))
}

/// A statement formatted alone in a method of an `impl` block, indented for its body.
fn formatted_statement(
    tokens: TokenStream,
    format: &impl Fn(TokenStream) -> Result<String>,
) -> Result<String> {
    let alone = format(quote::quote!(impl S { fn f() { #tokens } }))?;
    statement_contents(&alone).map(str::to_string)
}

/// The lines of the statement in a formatted `impl S { fn f() { .. } }`.
fn statement_contents(formatted: &str) -> Result<&str> {
    formatted
        .split_once('\n')
        .and_then(|(_, rest)| rest.split_once('\n'))
        .and_then(|(_, rest)| rest.strip_suffix("    }\n}\n"))
        .ok_or_else(|| internal("a formatted statement is not in its method"))
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
        let source = "    fn b(x: u8) -> u8 {\n        x\n    }\n";
        for (laid_out, source) in [(true, source), (false, "fn b(x:u8)->u8{x}")] {
            let mut code = Code::default();
            let member = Member {
                source: source.to_string(),
                laid_out,
            };
            code.tokens(quote!(
                struct A;
            ))
            .block(quote!(impl A { fn a() {} }), vec![member], "impl S")
            .source("struct  B ;".to_string(), false);
            assert_eq!(code.format(format).ok(), whole.as_ref().ok().cloned());
        }
        let filled = format(quote!(
            struct C {
                x: u8,
            }
        ));
        let mut code = Code::default();
        let member = Member {
            source: "    x: u8,\n".to_string(),
            laid_out: true,
        };
        code.block(
            quote!(
                struct C {}
            ),
            vec![member],
            "struct S",
        );
        assert_eq!(code.format(format).ok(), filled.ok());
        let mut code = Code::default();
        code.block(
            quote!(
                struct A;
            ),
            Vec::new(),
            "struct S",
        );
        assert!(code.format(format).is_err(), "not a block");
    }
}
