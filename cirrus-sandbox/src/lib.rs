//! A local Cirrus Digital API server, driven by the same spec as the client.
//!
//! The sandbox serves every operation of a spec (by default the embedded
//! `spec/cirrus.json`) on `127.0.0.1`, following the API's rules:
//!
//! - a missing or wrong bearer token is a `401`;
//! - a bad or missing parameter (a path segment that is not its type, a
//!   missing required query or body field, a body field of the wrong type,
//!   malformed JSON or `data=` form field, the wrong content type) is a `400`
//!   whose description names the parameter;
//! - an unknown path is a `404`; a known path with a method the spec does
//!   not list for it is a `501`;
//! - over the configured request rate, a `429` with `Retry-After` in whole
//!   seconds;
//! - every answer is the envelope `{"status", "description",
//!   "response_time", "data"}` with `response_time` in the API's format
//!   (`2024-08-06T07:51:52.2581942Z`), except operations the spec marks
//!   `"envelope": false`, which answer their bare body.
//!
//! Routing, parameters and answers come from the spec model, read through
//! `cirrus-spec`: an operation added to the spec is served with no code
//! change. The operations of the conversation flow are served from memory
//! (see [`stateful_operations`]): conversations are created, get messages,
//! tags, a status, content, remarks and activity-log entries, and read back;
//! the stream's list pages (`pageNumber` from 0, `pageSize`) and filters by
//! status; customers are read and updated; agents are created, read,
//! updated, listed and deleted. A read of an id that does not exist is a
//! `404`. Every other operation answers its `example` from the spec, and the
//! sandbox refuses to start if an operation has none.
//!
//! It starts with one record of each kind, all with id [`SEED_ID`]:
//! conversation 1 in stream 1 with message 1, customer 1 (identity 1,
//! `sam.jones@example.com`, and identity 2, its platform address `"1"` of
//! type 0) and agent 1. New records take ids from 101 up, one counter for
//! all kinds; a stream named by an encrypted id gets a number from 1402 up.
//!
//! [`Faults`] for your own tests (off by default): a share of `500`s,
//! added latency, a stall after the headers, a closed connection, a forced
//! `429`. The sandbox counts requests per operation.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = cirrus_sandbox::Sandbox::builder().start().await?;
//! let status = reqwest::Client::new()
//!     .get(format!("{}/core/systemstatus", sandbox.url()))
//!     .bearer_auth(sandbox.token())
//!     .send()
//!     .await?
//!     .status();
//! assert_eq!(status, 200);
//! assert_eq!(sandbox.requests("Core.SystemStatus"), 1);
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod faults;
mod params;
mod respond;
mod router;
mod server;
mod state;

pub use faults::{Faults, RateLimit};
pub use state::{SEED_ID, stateful_operations};

use cirrus_spec::{Problems, Spec};
use server::{OpEntry, Shared, lock};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The spec the sandbox serves by default: `spec/cirrus.json`, embedded.
pub const CIRRUS_SPEC: &str = include_str!("../../spec/cirrus.json");

/// The token the sandbox accepts unless told otherwise.
pub const DEFAULT_TOKEN: &str = "sandbox-token";

/// How long a forced `429` asks the client to wait, unless told otherwise.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// How long a connection may take to send a request's headers before the
/// sandbox closes it, by default.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The sandbox; [`Sandbox::builder`] configures and starts one.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: the embedded spec, token
    /// [`DEFAULT_TOKEN`], a free port, no rate limit, no faults, the seed
    /// records.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Where the spec comes from.
#[derive(Debug, Clone)]
enum SpecSource {
    Text(String),
    File(PathBuf),
    Model(Box<Spec>),
}

/// Configures a sandbox; [`start`](Self::start) runs it.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    spec: SpecSource,
    token: String,
    port: u16,
    rate_limit: Option<RateLimit>,
    faults: Faults,
    retry_after: Duration,
    seed: bool,
    header_read_timeout: Duration,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            spec: SpecSource::Text(CIRRUS_SPEC.to_owned()),
            token: DEFAULT_TOKEN.to_owned(),
            port: 0,
            rate_limit: None,
            faults: Faults::default(),
            retry_after: DEFAULT_RETRY_AFTER,
            seed: true,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
        }
    }
}

impl SandboxBuilder {
    /// Serves the spec in this text instead of the embedded one.
    pub fn spec_text(mut self, text: impl Into<String>) -> Self {
        self.spec = SpecSource::Text(text.into());
        self
    }

    /// Serves the spec in this file, read when the sandbox starts.
    pub fn spec_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = SpecSource::File(path.into());
        self
    }

    /// Serves a spec already loaded with `cirrus_spec::load`.
    pub fn spec(mut self, spec: Spec) -> Self {
        self.spec = SpecSource::Model(Box::new(spec));
        self
    }

    /// The bearer token the sandbox accepts ([`DEFAULT_TOKEN`] by default).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The port on 127.0.0.1; `0` (the default) takes a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Answers `429` with `Retry-After` beyond this rate; no limit by default.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The faults to inject from the first request; none by default. They
    /// can be changed later with [`RunningSandbox::set_faults`].
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The `Retry-After` of a forced `429`, in whole seconds (rounded up;
    /// [`DEFAULT_RETRY_AFTER`] by default).
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = wait;
        self
    }

    /// Whether to start with the seed records (id [`SEED_ID`]); `true` by
    /// default.
    pub fn seed(mut self, seed: bool) -> Self {
        self.seed = seed;
        self
    }

    /// How long a connection may take to send a request's headers before it
    /// is closed without an answer ([`DEFAULT_HEADER_READ_TIMEOUT`] by
    /// default), so that clients that open connections and send nothing do
    /// not hold them for good.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Loads and checks the spec and makes the shared state.
    fn prepare(self) -> Result<(Shared, u16), StartError> {
        if self.token.trim().is_empty() {
            return Err(StartError::EmptyToken);
        }
        let spec = match self.spec {
            SpecSource::Model(spec) => *spec,
            SpecSource::Text(text) => cirrus_spec::load(&text).map_err(StartError::Spec)?,
            SpecSource::File(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| StartError::SpecFile { path, source })?;
                cirrus_spec::load(&text).map_err(StartError::Spec)?
            }
        };
        let missing: Vec<String> = spec
            .operations()
            .filter(|(_, op)| op.example.is_none())
            .map(|(module, op)| {
                format!(
                    "{}.{} ({} {})",
                    module.name,
                    op.name,
                    op.method.as_str(),
                    op.path.raw
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(StartError::MissingExamples(missing));
        }
        let ops: Vec<OpEntry> = spec
            .operations()
            .map(|(module, op)| OpEntry {
                key: format!("{}.{}", module.name, op.name),
                op: op.clone(),
                handler: state::handler_for(&module.name, &op.name, op.method),
            })
            .collect();
        let router = router::Router::new(ops.iter().map(|e| &e.op));
        let store = if self.seed {
            state::Store::seeded()
        } else {
            state::Store::empty()
        };
        let faults = self.faults.clamped();
        let shared = Shared {
            counts: Mutex::new(vec![0; ops.len()]),
            spec,
            ops,
            router,
            token: self.token.trim().to_owned(),
            seed: self.seed,
            store: Mutex::new(store),
            unrouted: AtomicU64::new(0),
            faults: Mutex::new(faults::FaultState {
                faults: faults.clone(),
                ..faults::FaultState::default()
            }),
            window: self
                .rate_limit
                .map(|limit| Mutex::new(faults::Window::new(limit))),
            retry_after: (self.retry_after.as_secs_f64().ceil() as u64).max(1),
            sequence: AtomicU64::new(0),
            warned: Mutex::new(HashSet::new()),
        };
        Ok((shared, self.port))
    }

    /// Starts serving on 127.0.0.1 in the current tokio runtime and returns
    /// at once; the sandbox runs until the [`RunningSandbox`] is shut down
    /// or dropped.
    ///
    /// # Errors
    ///
    /// The spec does not load, an operation has no example, the token is
    /// empty, or the port cannot be bound.
    pub async fn start(self) -> Result<RunningSandbox, StartError> {
        let header_read_timeout = self.header_read_timeout;
        let (shared, port) = self.prepare()?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|source| StartError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { port, source })?;
        let shared = Arc::new(shared);
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone());
        let (shutdown, watcher) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, app, watcher, header_read_timeout));
        Ok(RunningSandbox {
            url: format!("http://{addr}"),
            addr,
            shared,
            shutdown,
            task: Some(task),
        })
    }
}

/// Why a sandbox did not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The spec has problems.
    Spec(Problems),
    /// The spec file could not be read.
    SpecFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// These operations (`Module.Operation (METHOD path)`) have no
    /// `example` to answer with.
    MissingExamples(Vec<String>),
    /// The token is empty.
    EmptyToken,
    /// The port could not be bound.
    Bind {
        /// The port asked for (`0`: any).
        port: u16,
        /// What went wrong.
        source: std::io::Error,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Spec(problems) => write!(f, "the spec has problems:\n{problems}"),
            StartError::SpecFile { path, source } => {
                write!(f, "cannot read the spec {}: {source}", path.display())
            }
            StartError::MissingExamples(ops) => {
                write!(
                    f,
                    "the sandbox answers every operation it does not keep state for with the spec's \
                     `example`; add one to each of these {} operations:",
                    ops.len()
                )?;
                for op in ops {
                    write!(f, "\n  - {op}")?;
                }
                Ok(())
            }
            StartError::EmptyToken => f.write_str("the token is empty"),
            StartError::Bind { port, source } => {
                write!(f, "cannot listen on 127.0.0.1:{port}: {source}")
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Spec(problems) => Some(problems),
            StartError::SpecFile { source, .. } | StartError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A sandbox serving on 127.0.0.1; dropping it stops the server.
pub struct RunningSandbox {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("url", &self.url)
            .field("operations", &self.shared.ops.len())
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// The base URL, such as `http://127.0.0.1:49152`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bearer token it accepts.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The spec it serves.
    pub fn spec(&self) -> &Spec {
        &self.shared.spec
    }

    /// How many requests were routed to an operation (`"Objects.Create"`),
    /// whatever their outcome (a `401`, `429` or `400` counts too); `0` for
    /// a name the spec does not have.
    pub fn requests(&self, operation: &str) -> u64 {
        let counts = lock(&self.shared.counts);
        self.shared
            .ops
            .iter()
            .zip(counts.iter())
            .find(|(entry, _)| entry.key == operation)
            .map_or(0, |(_, count)| *count)
    }

    /// The request count of every operation, by `Module.Operation`.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        let counts = lock(&self.shared.counts);
        self.shared
            .ops
            .iter()
            .zip(counts.iter())
            .map(|(entry, count)| (entry.key.clone(), *count))
            .collect()
    }

    /// Requests that reached no operation: an unknown path (`404`) or a
    /// method the spec does not list for the path (`501`).
    pub fn unrouted_requests(&self) -> u64 {
        self.shared.unrouted.load(Ordering::Relaxed)
    }

    /// All requests received.
    pub fn total_requests(&self) -> u64 {
        lock(&self.shared.counts).iter().sum::<u64>() + self.unrouted_requests()
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).faults.clone()
    }

    /// Replaces the faults from the next request on.
    pub fn set_faults(&self, faults: Faults) {
        let mut state = lock(&self.shared.faults);
        state.faults = faults.clamped();
        // Faults owed under the old settings are not carried over.
        state.owed = [0; 4];
    }

    /// Answers the next `count` requests that have a valid token with `429`
    /// and `Retry-After`, whatever the faults and the rate limit say.
    pub fn throttle_next(&self, count: u64) {
        lock(&self.shared.faults).forced_throttles = count;
    }

    /// Puts the records back as at the start (the seed, or nothing) and the
    /// request counts to zero; faults stay as they are.
    pub fn reset(&self) {
        *lock(&self.shared.store) = if self.shared.seed {
            state::Store::seeded()
        } else {
            state::Store::empty()
        };
        lock(&self.shared.counts).iter_mut().for_each(|c| *c = 0);
        self.shared.unrouted.store(0, Ordering::Relaxed);
    }

    /// Stops accepting connections, closes the open ones and waits for the
    /// server to finish.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
