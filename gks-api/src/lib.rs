//! Async Rust client for the GKS4 ERP REST API by Simutek: customers and sales orders.
//!
//! Everything below [`generated`](self) is written by `cargo xtask regen` from `spec/gks.yaml`;
//! this file is hand-written and only wires it in.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use gks_api::{Client, types::SalesOrder};
//!
//! let client = Client::builder("https://gks.example.com")
//!     .client_credentials("my-client-id", "my-client-secret")
//!     .build()?;
//! let customer = client.get_customer("K100421").await?;
//! println!("{}", customer.name);
//!
//! let order = SalesOrder::new("K100421", "PO-1", false, true);
//! let placed = client.place_sales_order(&order).await?;
//! println!("order {}", placed.order_number);
//! # Ok(())
//! # }
//! ```
//!
//! See the crate's README for errors, retries and token handling.
#![warn(missing_docs)]

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub use generated::*;

/// The code blocks of the repository README, compiled as doctests so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
