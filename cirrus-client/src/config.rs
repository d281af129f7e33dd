//! Building a client: token, base URL, timeouts, user agent.

use crate::transport::Transport;
use crate::{Error, RetryPolicy};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// Where the API is served.
pub const DEFAULT_BASE_URL: &str = "https://api.commbox.io";
/// How long one attempt of a call (connecting, sending, and reading the
/// whole body) may take by default. Retries make further attempts, bounded
/// by the retry policy's wait.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read by default; a larger one is an error,
/// not an out-of-memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The environment variable [`ClientBuilder::from_env`] reads the token from.
pub const TOKEN_VAR: &str = "CIRRUS_TOKEN";
/// The environment variable [`ClientBuilder::from_env`] reads the base URL from.
pub const BASE_URL_VAR: &str = "CIRRUS_BASE_URL";

/// The API token: kept out of every `Debug`, `Display` and log line.
#[derive(Clone)]
pub(crate) struct Token(pub(crate) String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Configures and builds a client.
///
/// `C` is the client type that `generate!` made (for this crate,
/// [`crate::Client`]); `Client::builder()` starts one.
///
/// ```
/// use std::time::Duration;
///
/// let client = cirrus_client::Client::builder()
///     .token("my-api-key")
///     .timeout(Duration::from_secs(10))
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("my-api-key"));
/// ```
pub struct ClientBuilder<C> {
    pub(crate) token: Option<Token>,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) max_body_bytes: usize,
    pub(crate) retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("cirrus-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            allow_insecure_http: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry: RetryPolicy::default(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http.is_some())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry", &self.retry)
            .finish()
    }
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// A builder with the defaults: base URL `https://api.commbox.io`, a 30 s
    /// timeout, a 10 s connect timeout, and no token yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the token from `CIRRUS_TOKEN` and, if set, the base
    /// URL from `CIRRUS_BASE_URL`.
    ///
    /// # Errors
    ///
    /// A [`Config`](crate::ErrorKind::Config) error when `CIRRUS_TOKEN` is
    /// unset or empty.
    pub fn from_env() -> Result<Self, Error> {
        let token = std::env::var(TOKEN_VAR).unwrap_or_default();
        if token.trim().is_empty() {
            return Err(Error::config(format!(
                "{TOKEN_VAR} is not set: export the API key from the console's Settings > API"
            )));
        }
        let mut builder = Self::new().token(token);
        if let Ok(base_url) = std::env::var(BASE_URL_VAR)
            && !base_url.trim().is_empty()
        {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }

    /// The API key, sent as a bearer token on every request.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token(token.into()));
        self
    }

    /// Where the API is served; `https://api.commbox.io` by default. Plain
    /// `http://` is refused unless the host is loopback (a local sandbox)
    /// or [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The most one attempt of a call may take, reading the body included.
    /// A retried call makes several attempts; [`RetryPolicy::max_attempts`]
    /// and [`RetryPolicy::max_wait`] bound those.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends through an existing `reqwest::Client` (its proxy, TLS and pool
    /// settings); the timeout and user agent set here still apply per call,
    /// but its own redirect policy and connect timeout replace ours (which
    /// follows redirects within the base URL's origin only).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Allows a plain `http://` base URL on a host that is not loopback.
    /// The token then crosses the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The largest response body to read; a larger one is an error.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// How failed calls are retried; [`RetryPolicy::default`] unless set.
    /// See [`crate::retry`] for what is retried and the risks.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// A [`Config`](crate::ErrorKind::Config) error when no token was given,
    /// the base URL does not parse, or it is plain HTTP to a remote host.
    pub fn build(self) -> Result<C, Error> {
        Transport::new(self).map(C::from)
    }
}
