//! A hand-rolled HTTP/1.1 server on 127.0.0.1 for what wiremock cannot do:
//! stall in the middle of a body, trickle a body, close idle keep-alive
//! connections, stream an endless chunked body, drop a connection without
//! an answer.
//!
//! Each test gives the server a function that owns one connection at a
//! time ([`Conn`]): it reads requests with [`Conn::next_request`] and writes
//! whatever bytes it likes. Every complete request read is logged, so a
//! test can count what the server saw. Dropping the [`RawServer`] stops the
//! accept loop and every connection task.

#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The largest request the server reads; anything bigger is a test bug.
const MAX_REQUEST: usize = 1 << 20;

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// `GET`, `POST`...
    pub method: String,
    /// The request target as sent (path and query).
    pub target: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
    /// Which connection it came on, counted from 0.
    pub connection: usize,
}

impl RawRequest {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The requests a server has read, shared with its connections.
pub type Log = Arc<Mutex<Vec<RawRequest>>>;

/// One accepted connection.
pub struct Conn {
    stream: TcpStream,
    buffer: Vec<u8>,
    log: Log,
    id: usize,
}

/// Why [`Conn::next_request`] returned no request.
#[derive(Debug, PartialEq, Eq)]
pub enum NoRequest {
    /// The client closed the connection (or it broke).
    Closed,
    /// No byte of a new request arrived within the idle time.
    Idle,
}

impl Conn {
    /// Which connection this is, counted from 0.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Reads the next request. `idle` bounds the wait for its first byte
    /// only: once a request has begun it is read to its end.
    pub async fn next_request(&mut self, idle: Option<Duration>) -> Result<RawRequest, NoRequest> {
        loop {
            if let Some(request) = self.parse()? {
                self.log.lock().unwrap().push(request.clone());
                return Ok(request);
            }
            let mut chunk = [0u8; 16 * 1024];
            let read = self.stream.read(&mut chunk);
            let n = match idle {
                Some(idle) if self.buffer.is_empty() => {
                    match tokio::time::timeout(idle, read).await {
                        Ok(result) => result,
                        Err(_) => return Err(NoRequest::Idle),
                    }
                }
                _ => read.await,
            };
            match n {
                Ok(0) | Err(_) => return Err(NoRequest::Closed),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
            }
            if self.buffer.len() > MAX_REQUEST {
                return Err(NoRequest::Closed);
            }
        }
    }

    /// A complete request at the front of the buffer, taken out of it.
    fn parse(&mut self) -> Result<Option<RawRequest>, NoRequest> {
        let Some(end) = find(&self.buffer, b"\r\n\r\n") else {
            return Ok(None);
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_owned();
        let target = first.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            // The client sends bodies with a length; a chunked one is a bug here.
            return Err(NoRequest::Closed);
        }
        let length = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        if self.buffer.len() < end + 4 + length {
            return Ok(None);
        }
        let body = self.buffer[end + 4..end + 4 + length].to_vec();
        self.buffer.drain(..end + 4 + length);
        Ok(Some(RawRequest {
            method,
            target,
            headers,
            body,
            connection: self.id,
        }))
    }

    /// Writes bytes and flushes them.
    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Sends a FIN, so the client sees the connection close.
    pub async fn shutdown(&mut self) {
        let _ = self.stream.shutdown().await;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A complete response with a `Content-Length`, as bytes.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = head(status, headers);
    out.truncate(out.len() - 2);
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// A status line and headers, ending with the blank line.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Status\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A JSON response, 200, with the documented envelope around `data`.
pub fn json_ok(data: &serde_json::Value) -> Vec<u8> {
    let body = cirrus_tests::envelope(data.clone()).to_string();
    response(
        200,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

/// A server on 127.0.0.1 running a function per connection in the current
/// runtime; dropping it stops everything it started.
pub struct RawServer {
    addr: SocketAddr,
    log: Log,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// Starts serving; `serve` owns each connection until it returns.
    pub async fn start<F, Fut>(serve: F) -> RawServer
    where
        F: Fn(Conn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Log::default();
        let shared = log.clone();
        let task = tokio::spawn(async move {
            // Connection tasks live in the set, so stopping the accept loop
            // (aborting this task) drops them too.
            let mut connections = JoinSet::new();
            let mut id = 0;
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let conn = Conn { stream, buffer: Vec::new(), log: shared.clone(), id };
                        id += 1;
                        connections.spawn(serve(conn));
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        RawServer { addr, log, task }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A [`RawServer`] on a thread of its own with its own runtime, for tests
/// that start and drop runtimes themselves.
pub struct BackgroundServer {
    url: String,
    log: Log,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundServer {
    /// Starts `serve` on a new thread.
    pub fn start<F, Fut>(serve: F) -> BackgroundServer
    where
        F: Fn(Conn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let server = RawServer::start(serve).await;
                ready_tx.send((server.url(), server.log.clone())).unwrap();
                let _ = stopped.await;
                drop(server);
            });
        });
        let (url, log) = ready_rx.recv().unwrap();
        BackgroundServer {
            url,
            log,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves every request on a connection with `answer`, keeping it alive
/// until the client closes it.
pub async fn keep_alive(mut conn: Conn, answer: fn(&RawRequest) -> Vec<u8>) {
    while let Ok(request) = conn.next_request(None).await {
        if conn.write(&answer(&request)).await.is_err() {
            return;
        }
    }
}
