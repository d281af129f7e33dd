//! A typed async client for the Cirrus Digital REST API (served as CommBox
//! at `https://api.commbox.io`).
//!
//! Everything the API offers is described in `spec/cirrus.json`; the
//! [`generate!`] macro reads that file at compile time and expands it into
//! [`Client`], one accessor per module of the API, one async method per
//! operation, and the data types in [`types`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), cirrus_client::Error> {
//! let client = cirrus_client::Client::from_env()?; // CIRRUS_TOKEN, CIRRUS_BASE_URL
//!
//! let status = client.core().system_status().await?;
//! println!("{}: {}", status.status, status.description);
//!
//! let conversation = client
//!     .objects()
//!     .get("hNyRN_fLUy7rrOrN9jLpipA==", 4711)
//!     .include_childs(true)
//!     .await?;
//! println!("{:?}", conversation.data);
//! # Ok(())
//! # }
//! ```
//!
//! # Calls
//!
//! Required parameters are arguments of the method; optional ones are set on
//! the request it returns, which is then awaited (or sent with `.send()`).
//! Every call returns `Result<Envelope<T>, Error>`: the API's
//! [`Envelope`] around the operation's data, or an [`Error`] whose
//! [`kind`](Error::kind) follows the API's table of statuses.
//!
//! Every request carries the token as a bearer token. Every path segment and
//! query value is percent-encoded as one unit, so encrypted stream ids with
//! their `=` padding arrive as given.
//!
//! # Decoding
//!
//! Responses are read as the spec types them, leniently where the API is
//! loose: numbers arrive as strings in places and ids as numbers, and both
//! are accepted. An optional field may be absent or `null`. Integers are
//! never rounded and times keep all seven fractional digits; a time without
//! a zone is UTC. A value that does not fit is a [`Decode`](ErrorKind::Decode)
//! error naming its JSON path (`data.user.email`).
//!
//! # Logging
//!
//! Each call runs in a `tracing` span `cirrus.call` with the module,
//! operation, method, path template, status and latency. The token appears
//! in no span, event, `Debug` or `Display`.
//!
//! # Your own spec
//!
//! The macro works on any spec in the same format, in your own crate:
//!
//! ```ignore
//! mod my_api {
//!     cirrus_client::generate!("spec/my-api.json");
//! }
//! ```
//!
//! The path is resolved against your crate's `Cargo.toml` folder, and cargo
//! rebuilds when the file changes.

#![deny(missing_docs)]

// Generated code names this crate by its absolute path, `::cirrus_client`,
// so that it works in any crate; this lets the same code work in this one.
extern crate self as cirrus_client;

mod config;
mod decode;
mod envelope;
mod error;
mod json_path;
mod request;
pub mod retry;
mod timestamp;
mod transport;

pub use config::{
    BASE_URL_VAR, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT, TOKEN_VAR,
};
pub use decode::{Decode, NoData};
pub use envelope::Envelope;
pub use error::{BODY_SNIPPET_LIMIT, Error, ErrorKind, TEXT_LIMIT};
pub use request::{FilePart, ListStyle, Operation, ParamValue, RequestParts};
pub use retry::RetryPolicy;
pub use timestamp::{ParseTimestampError, Timestamp};
pub use transport::Transport;

/// Expands a spec into a typed client: `generate!("path/to/spec.json")`.
///
/// The path is resolved against the invoking crate's manifest directory.
/// The expansion holds a `Client` with one accessor per module, a Rust
/// module per API module with its requests, and a `types` module with the
/// spec's data types. A bad spec is a compile error naming the file and the
/// place in it.
pub use cirrus_macros::generate;

/// Items the generated code names; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::decode::{Key, decode, member, required, skip};
    pub use crate::transport::decode_response;
    pub use serde;
    pub use serde_json;
}

// The spec sits at the workspace root, beside the crates that read it.
// Known shortcoming: a package built for crates.io holds only this crate's
// folder, so publishing needs the spec copied in and this path changed.
generate!("../spec/cirrus.json");

// The README's Rust examples compile as doc tests, so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
