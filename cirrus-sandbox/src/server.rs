//! The HTTP side: accepting connections, and the one handler every request
//! goes through (auth, rate limit, faults, routing, parameters, answer).

use crate::faults::{FaultState, Window};
use crate::params::{self, Incoming};
use crate::respond::{self, envelope_value, json_response};
use crate::router::{Route, Router};
use crate::state::{Handler, Outcome, Store};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode, header};
use cirrus_spec::example::{example_mismatches, mismatches};
use cirrus_spec::{Operation, Spec};
use serde_json::Value;
use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// The largest request body read; a larger one is a 400.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// One operation of the spec as the server keeps it.
pub(crate) struct OpEntry {
    /// `Module.Operation`.
    pub(crate) key: String,
    pub(crate) op: Operation,
    pub(crate) handler: Option<Handler>,
}

/// Everything the handler needs, shared by all connections.
pub(crate) struct Shared {
    pub(crate) spec: Spec,
    pub(crate) ops: Vec<OpEntry>,
    pub(crate) router: Router,
    pub(crate) token: String,
    pub(crate) seed: bool,
    pub(crate) store: Mutex<Store>,
    pub(crate) counts: Mutex<Vec<u64>>,
    pub(crate) unrouted: AtomicU64,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) window: Option<Mutex<Window>>,
    pub(crate) retry_after: u64,
    pub(crate) sequence: AtomicU64,
    /// Operations whose stateful answer did not fit the spec's response
    /// type, already reported.
    pub(crate) warned: Mutex<HashSet<usize>>,
}

/// Locks a mutex; a panic elsewhere never makes the sandbox unusable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Closes the connection a request came on.
#[derive(Clone)]
struct Closer(Arc<Notify>);

/// Accepts connections until `shutdown` changes or its sender goes away.
pub(crate) async fn serve(
    listener: TcpListener,
    app: axum::Router,
    mut shutdown: watch::Receiver<bool>,
    header_read_timeout: Duration,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors and the like: wait a little, go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => break,
        };
        let app = app.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let closer = Closer(kill.clone());
            let service = hyper::service::service_fn(move |mut request: Request<_>| {
                request.extensions_mut().insert(closer.clone());
                tower::ServiceExt::oneshot(app.clone(), request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

/// What the fault settings decided for one request.
struct Decision {
    latency: Duration,
    close: bool,
    throttle: bool,
    server_error: bool,
    stall: Option<Duration>,
}

fn decide(shared: &Shared) -> Decision {
    let mut state = lock(&shared.faults);
    let hits = state.next_faults();
    let faults = &state.faults;
    let (close, throttle, server_error) = (hits.close, hits.throttle, hits.server_error);
    let stall = hits.stall.then_some(faults.stall);
    Decision {
        latency: faults.latency,
        close,
        throttle,
        server_error,
        stall,
    }
}

/// Whether the request carries the accepted bearer token.
fn authorized(shared: &Shared, request: &Request) -> bool {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return false;
    };
    let Ok(text) = value.to_str() else {
        return false;
    };
    let mut words = text.trim().splitn(2, ' ');
    let scheme = words.next().unwrap_or("");
    let token = words.next().unwrap_or("").trim();
    scheme.eq_ignore_ascii_case("bearer") && token == shared.token
}

fn throttled(seconds: u64, id: u64) -> Response<Body> {
    let mut response = respond::error(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Too many requests: retry after {seconds} s"),
        id,
    );
    if let Ok(value) = HeaderValue::try_from(seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Every request comes here.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response<Body> {
    let id = shared.sequence.fetch_add(1, Ordering::Relaxed) + 1;
    let route = shared
        .router
        .route(request.method().as_str(), request.uri().path());
    match &route {
        Route::Found { op, .. } => {
            if let Some(count) = lock(&shared.counts).get_mut(*op) {
                *count += 1;
            }
        }
        _ => {
            shared.unrouted.fetch_add(1, Ordering::Relaxed);
        }
    }

    if !authorized(&shared, &request) {
        let mut response = respond::error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: send the API key as `Authorization: Bearer <token>`",
            id,
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"cirrus-sandbox\""),
        );
        return response;
    }

    if let Some(window) = &shared.window {
        let wait = lock(window).check(Instant::now());
        if let Some(seconds) = wait {
            return throttled(seconds, id);
        }
    }

    let decision = decide(&shared);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if decision.close {
        if let Some(closer) = request.extensions().get::<Closer>() {
            closer.0.notify_one();
            return std::future::pending().await;
        }
        return respond::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error (sandbox fault: the connection could not be closed)",
            id,
        );
    }
    if decision.throttle {
        return throttled(shared.retry_after, id);
    }
    if decision.server_error {
        return respond::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error (sandbox fault)",
            id,
        );
    }

    let response = answer(&shared, route, request, id).await;
    match decision.stall {
        Some(wait) => stalled(response, wait).await,
        None => response,
    }
}

/// Routes, reads the parameters and answers.
async fn answer(shared: &Shared, route: Route, request: Request, id: u64) -> Response<Body> {
    let (op_index, path) = match route {
        Route::Found { op, params } => (op, params),
        Route::NotFound => {
            let text = format!("No operation at {}", request.uri().path());
            return respond::error(StatusCode::NOT_FOUND, &text, id);
        }
        Route::MethodNotAllowed { allowed } => {
            let text = format!(
                "{} is not supported on {} (the API offers {} there)",
                request.method(),
                request.uri().path(),
                allowed.join(", ")
            );
            let mut response = respond::error(StatusCode::NOT_IMPLEMENTED, &text, id);
            if let Ok(value) = HeaderValue::try_from(allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return response;
        }
    };
    let Some(entry) = shared.ops.get(op_index) else {
        return respond::error(StatusCode::NOT_FOUND, "No such operation", id);
    };
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let too_large =
                std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<http_body_util::LengthLimitError>());
            // 413 is not in the API's table of statuses, but no status in
            // it says "too large", and 400 would blame a parameter.
            return if too_large {
                let text = format!("The request body is larger than {MAX_BODY_BYTES} bytes");
                respond::error(StatusCode::PAYLOAD_TOO_LARGE, &text, id)
            } else {
                let text = format!("The request body could not be read: {error}");
                respond::error(StatusCode::BAD_REQUEST, &text, id)
            };
        }
    };
    let incoming = Incoming {
        path,
        query: parts.uri.query(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        body,
    };
    let args = match params::read(&shared.spec, &entry.op, incoming).await {
        Ok(args) => args,
        Err(description) => return respond::error(StatusCode::BAD_REQUEST, &description, id),
    };

    if let Some(handler) = entry.handler {
        let outcome = {
            let mut store = lock(&shared.store);
            handler(&mut store, &shared.spec, &args)
        };
        match outcome {
            Outcome::NotFound(text) => return respond::error(StatusCode::NOT_FOUND, &text, id),
            Outcome::BadRequest(text) => {
                return respond::error(StatusCode::BAD_REQUEST, &text, id);
            }
            Outcome::Data(data) => {
                let fits = match &entry.op.response {
                    Some(ty) => mismatches(&shared.spec, ty, &data, "data"),
                    None => Vec::new(),
                };
                if fits.is_empty() {
                    let body = envelope_value(StatusCode::OK, "Operation successful", data);
                    return json_response(StatusCode::OK, &body, id);
                }
                warn_once(shared, op_index, &fits);
            }
            Outcome::Bare(body) => {
                let fits = example_mismatches(&shared.spec, &entry.op, &body);
                if fits.is_empty() {
                    return json_response(StatusCode::OK, &body, id);
                }
                warn_once(shared, op_index, &fits);
            }
        }
    }
    example(entry, id)
}

/// The operation's example, with the current `response_time`.
fn example(entry: &OpEntry, id: u64) -> Response<Body> {
    let mut body = entry.op.example.clone().unwrap_or(Value::Null);
    let mut status = StatusCode::OK;
    if entry.op.envelope
        && let Value::Object(map) = &mut body
    {
        map.insert("response_time".into(), Value::String(respond::now_text()));
        let code = map.get("status").and_then(crate::params::as_int);
        if let Some(code) = code.and_then(|c| u16::try_from(c).ok())
            && let Ok(code) = StatusCode::from_u16(code)
            && code.is_success()
        {
            status = code;
        }
    }
    json_response(status, &body, id)
}

fn warn_once(shared: &Shared, op_index: usize, reasons: &[String]) {
    if lock(&shared.warned).insert(op_index) {
        let key = shared.ops.get(op_index).map_or("?", |e| e.key.as_str());
        eprintln!(
            "cirrus-sandbox: {key}: the stateful answer does not fit the spec's response type ({}); answering the example instead",
            reasons.join("; ")
        );
    }
}

/// The same response, its body held back for `wait` after the headers.
async fn stalled(response: Response<Body>, wait: Duration) -> Response<Body> {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let later = futures_util::stream::once(async move {
        tokio::time::sleep(wait).await;
        Ok::<Bytes, Infallible>(bytes)
    });
    Response::from_parts(parts, Body::from_stream(later))
}
