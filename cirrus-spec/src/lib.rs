//! The cirrus spec format: one reader for every tool that needs the API
//! description.
//!
//! A spec is read in three phases, each in its own module:
//!
//! 1. [`read`]: the text becomes a JSON document; a syntax error is reported
//!    with its line and column.
//! 2. [`model`]: the document becomes a [`Spec`]; a key of the wrong shape is
//!    reported with the JSON pointer of the value.
//! 3. [`check`]: the rules that span the document (type names resolve, path
//!    templates match their parameters, Rust names do not collide).
//!
//! [`load`] runs all three and returns every problem it found, so that a
//! spec author fixes them in one round. The `generate!` macro of
//! `cirrus-client` turns a loaded [`Spec`] into Rust; the sandbox server
//! routes requests with it.
//!
//! ```
//! let text = r#"{
//!   "title": "Demo", "version": "1",
//!   "modules": { "Core": { "operations": {
//!     "SystemStatus": { "method": "GET", "path": "/core/systemstatus", "response": "string" }
//!   } } }
//! }"#;
//! let spec = cirrus_spec::load(text).unwrap();
//! assert_eq!(spec.modules[0].operations[0].rust_name, "system_status");
//! ```

#![deny(missing_docs)]

pub mod check;
pub mod example;
pub mod model;
pub mod names;
pub mod problem;
pub mod read;

pub use model::*;
pub use problem::{Location, Problem, Problems};

/// Reads, models and checks a spec from its text.
///
/// Returns every problem found; the model phase goes on past a bad value so
/// that later problems are reported too.
pub fn load(text: &str) -> Result<Spec, Problems> {
    let document = read::read(text).map_err(|problem| Problems(vec![problem]))?;
    let mut problems = Vec::new();
    let spec = model::Spec::from_json(&document, &mut problems);
    check::check(&spec, &mut problems);
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(Problems(problems))
    }
}
