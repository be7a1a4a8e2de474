#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub use generated::*;

/// The code blocks of the repository README, compiled as doctests so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
