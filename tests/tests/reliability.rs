//! Reliability and security over HTTP on 127.0.0.1: cases C10 (Retry-After),
//! C15 (a stalling body), C16 (idle connections closed by the server), C17
//! (inside and outside a Tokio runtime), what is and is not retried, and
//! the security measures (plain HTTP, dot segments, redirects, body size).
//!
//! wiremock serves what it can; the rest (a body that stops halfway, a body
//! that trickles, closing idle keep-alive connections, an endless chunked
//! body, a port nothing listens on) is a hand-rolled server, `raw_http`.
//!
//! C16 runs 8 rounds by default; the case's 200 rounds (about 4 minutes)
//! are `c16_full_200_rounds`, ignored by default:
//! `cargo test -p cirrus-tests --test reliability -- --ignored c16_full`.

mod raw_http;

use cirrus_client::{Client, Error, ErrorKind, RetryPolicy};
use cirrus_tests::{answer_all, client_once, envelope};
use raw_http::{BackgroundServer, Conn, RawServer, head, json_ok, keep_alive};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENCRYPTED: &str = "hNyRN_fLUy7rrOrN9jLpipA==";

fn client_with(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(url)
        .retry(policy)
        .build()
        .unwrap()
}

/// Retries on, with short backoffs so tests stay fast.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn ok_envelope() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(json!("Message sent")))
}

/// Answers the first `times` requests with `first`, the rest with 200.
async fn server_failing_first(times: u64, first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ok_envelope())
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// An HTTP date `seconds` ahead. It is made just after a second begins, so
/// that the date (whole seconds) is `seconds` ahead of the moment the
/// client reads it, not `seconds - 1`.
async fn http_date_ahead(seconds: u64) -> String {
    let into_second = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    tokio::time::sleep(Duration::from_nanos(u64::from(1_000_000_000 - into_second)) + ms(5)).await;
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(seconds))
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

// ---------------------------------------------------------------- C10

#[tokio::test]
async fn c10_retry_after_in_its_forms() {
    let cases: [(Option<String>, Option<Duration>); 5] = [
        (Some("2".into()), Some(Duration::from_secs(2))),
        // Rounded up, never 0.
        (Some("0.493".into()), Some(Duration::from_secs(1))),
        (
            Some(http_date_ahead(120).await),
            Some(Duration::from_secs(120)),
        ),
        (None, None),
        (Some("soon".into()), None),
    ];
    for (header, expected) in cases {
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(429).set_body_json(json!({
            "status": 429, "description": "Too many requests", "data": null
        }));
        if let Some(value) = &header {
            template = template.insert_header("Retry-After", value.as_str());
        }
        answer_all(&server, template).await;
        let error = client_once(&server)
            .core()
            .system_status()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Throttled, "{header:?}");
        assert!(error.is_throttled());
        assert_eq!(error.status(), Some(429), "{header:?}");
        assert_eq!(error.retry_after(), expected, "Retry-After: {header:?}");
        assert_eq!(request_count(&server).await, 1);
    }
}

#[tokio::test]
async fn c10_a_503_exposes_its_retry_after() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "30"),
    )
    .await;
    let error = client_once(&server)
        .core()
        .system_status()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
}

/// At most 2 attempts, longest wait 5 s.
fn c10_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(2)
        .max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn c10_with_retries_on_the_client_waits_what_the_server_asked() {
    let server = server_failing_first(
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", "2"),
    )
    .await;
    let client = client_with(&server.uri(), c10_policy());
    let started = Instant::now();
    let reply = client.core().system_status().await;
    let elapsed = started.elapsed();
    assert!(reply.is_ok(), "{reply:?}");
    assert_eq!(request_count(&server).await, 2);
    assert!(elapsed >= Duration::from_secs(2), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "waited {elapsed:?}");
}

#[tokio::test]
async fn c10_a_wait_past_the_bound_gives_up_at_once() {
    let date = http_date_ahead(120).await;
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()),
    )
    .await;
    let client = client_with(&server.uri(), c10_policy());
    let started = Instant::now();
    let error = client.core().system_status().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < ms(1000), "took {elapsed:?}");
    assert_eq!(error.kind(), ErrorKind::Throttled);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(error.attempts(), 1);
    assert_eq!(request_count(&server).await, 1);
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn a_get_is_retried_after_a_500_and_succeeds() {
    let server = server_failing_first(1, ResponseTemplate::new(500)).await;
    let reply = client_with(&server.uri(), quick_retries())
        .core()
        .system_status()
        .await;
    assert!(reply.is_ok(), "{reply:?}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_get_that_keeps_failing_stops_after_max_attempts() {
    let server = MockServer::start().await;
    answer_all(&server, ResponseTemplate::new(500)).await;
    let error = client_with(&server.uri(), quick_retries())
        .core()
        .system_status()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.attempts(), 3);
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_500_and_says_it_may_have_been_processed() {
    let server = server_failing_first(1, ResponseTemplate::new(500)).await;
    let error = client_with(&server.uri(), quick_retries())
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .await
        .unwrap_err();
    assert_eq!(request_count(&server).await, 1);
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_been_processed());
    let shown = error.to_string();
    assert!(shown.contains("may have been processed"), "{shown}");
}

#[tokio::test]
async fn a_post_opted_in_is_retried_after_a_500() {
    let server = server_failing_first(1, ResponseTemplate::new(500)).await;
    let reply = client_with(&server.uri(), RetryPolicy::never())
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .retry(quick_retries().retry_non_idempotent(true))
        .await;
    assert!(reply.is_ok(), "{reply:?}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_post_is_retried_after_a_429() {
    let server = server_failing_first(1, ResponseTemplate::new(429)).await;
    let reply = client_with(&server.uri(), quick_retries())
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .await;
    assert!(reply.is_ok(), "{reply:?}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_404_is_never_retried() {
    let server = MockServer::start().await;
    answer_all(&server, ResponseTemplate::new(404)).await;
    let client = client_with(&server.uri(), quick_retries().retry_non_idempotent(true));
    let get = client.core().system_status().await.unwrap_err();
    let post = client.sms().send(ENCRYPTED).await.unwrap_err();
    for error in [&get, &post] {
        assert_eq!(error.kind(), ErrorKind::NotFound);
        assert_eq!(error.attempts(), 1);
        assert!(!error.may_have_been_processed());
    }
    assert_eq!(request_count(&server).await, 2);
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_a_post_too_and_was_not_processed() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let error = client_with(&url, quick_retries())
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(!error.may_have_been_processed());
    assert_eq!(error.attempts(), 3, "nothing was sent, so it is retried");
    assert!(!error.to_string().contains("may have been processed"));
}

// ---------------------------------------------------------------- C15

/// A 500-byte body: the envelope around two tags, padded with spaces.
fn body_of_500_bytes() -> Vec<u8> {
    let mut body = envelope(json!([{ "id": 79 }, { "id": "80" }]))
        .to_string()
        .into_bytes();
    assert!(body.len() < 500);
    body.resize(500, b' ');
    body
}

/// Sends the headers and the first half of the 500 bytes, then nothing
/// for 10 s.
async fn stall_halfway(mut conn: Conn) {
    if conn.next_request(None).await.is_err() {
        return;
    }
    let mut bytes = head(
        200,
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "500"),
        ],
    );
    bytes.extend_from_slice(&body_of_500_bytes()[..250]);
    let _ = conn.write(&bytes).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
}

#[tokio::test]
async fn c15_a_body_that_stalls_ends_in_a_timeout() {
    let server = RawServer::start(stall_halfway).await;
    let client = Client::builder()
        .token("test-token")
        .base_url(server.url())
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.tags().list().await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(elapsed >= ms(1900), "{elapsed:?}");
    assert!(elapsed < ms(2500), "{elapsed:?}");
    assert!(error.may_have_been_processed());
}

#[tokio::test]
async fn c15_with_retries_on_a_stalling_post_still_ends_in_one_timeout() {
    // Timeouts are not retried for POST: one attempt, one timeout.
    let server = RawServer::start(stall_halfway).await;
    let client = Client::builder()
        .token("test-token")
        .base_url(server.url())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(elapsed < ms(2500), "{elapsed:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn c15_with_retries_on_a_stalling_get_is_bounded_by_its_attempts() {
    let server = RawServer::start(stall_halfway).await;
    let client = Client::builder()
        .token("test-token")
        .base_url(server.url())
        .timeout(Duration::from_secs(2))
        .retry(quick_retries().max_attempts(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.tags().list().await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests().len(), 2);
    // Two timeouts and one short backoff.
    assert!(elapsed < ms(4600), "{elapsed:?}");
}

#[tokio::test]
async fn c15_a_body_sent_slowly_but_steadily_within_the_timeout_succeeds() {
    // 500 bytes in 20 pieces, 60 ms apart: the whole body takes 1.2 s.
    let server = RawServer::start(|mut conn: Conn| async move {
        if conn.next_request(None).await.is_err() {
            return;
        }
        let head = head(
            200,
            &[
                ("Content-Type", "application/json"),
                ("Content-Length", "500"),
            ],
        );
        if conn.write(&head).await.is_err() {
            return;
        }
        for piece in body_of_500_bytes().chunks(25) {
            tokio::time::sleep(ms(60)).await;
            if conn.write(piece).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = Client::builder()
        .token("test-token")
        .base_url(server.url())
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let reply = client.tags().list().await.unwrap();
    assert!(started.elapsed() >= ms(1200));
    let tags = reply.data.unwrap();
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].id, 79);
    assert_eq!(tags[1].id, 80);
}

// ---------------------------------------------------------------- C16

/// Serves a connection until it has been idle for 1,000 ms, then closes it.
async fn close_when_idle(mut conn: Conn) {
    while let Ok(request) = conn.next_request(Some(ms(1000))).await {
        let data = if request.method == "POST" {
            json!("Message sent")
        } else {
            json!(null)
        };
        if conn.write(&json_ok(&data)).await.is_err() {
            return;
        }
    }
    // Dropping the stream closes the connection (with a reset if a request
    // arrived in the meantime, as a real server's would).
}

/// Rounds of request, sleep 900 to 1,100 ms, request; GET then POST in even
/// rounds, POST then GET in odd ones. Every POST carries a unique message.
async fn c16(rounds: usize) {
    let server = RawServer::start(close_when_idle).await;
    let client = Client::builder()
        .token("test-token")
        .base_url(server.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut posts: Vec<(String, Result<(), Error>)> = Vec::new();
    let mut gets = 0;
    for round in 0..rounds {
        for step in 0..2 {
            if step == 1 {
                tokio::time::sleep(ms(fastrand::u64(900..=1100))).await;
            }
            if (round + step) % 2 == 0 {
                let reply = client.core().system_status().await;
                assert!(reply.is_ok(), "round {round}: GET failed: {reply:?}");
                gets += 1;
            } else {
                let id = format!("c16-{round}-{step}");
                let reply = client.sms().send(ENCRYPTED).message(&id).await;
                posts.push((id, reply.map(|_| ())));
            }
        }
    }
    let seen = server.requests();
    let mut failed = 0;
    for (id, reply) in &posts {
        let needle = format!("\"Message\":\"{id}\"");
        let times = seen
            .iter()
            .filter(|r| r.method == "POST" && r.body_text().contains(&needle))
            .count();
        assert!(times <= 1, "the server saw POST {id} {times} times");
        match reply {
            Ok(()) => assert_eq!(times, 1, "POST {id} succeeded"),
            Err(error) => {
                failed += 1;
                assert_eq!(error.attempts(), 1, "POST {id} was retried: {error}");
                assert!(
                    matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout),
                    "{error}"
                );
                if times == 1 {
                    assert!(error.may_have_been_processed(), "POST {id}: {error}");
                }
                if error.may_have_been_processed() {
                    assert!(error.to_string().contains("may have been processed"));
                }
            }
        }
    }
    assert_eq!(gets + posts.len(), 2 * rounds);
    let connections = seen.iter().map(|r| r.connection).max().map_or(0, |c| c + 1);
    eprintln!(
        "C16: {rounds} rounds, {gets} GETs all succeeded, {} POSTs ({failed} failed, \
         none seen twice), {} requests on {connections} connections",
        posts.len(),
        seen.len()
    );
}

#[tokio::test]
async fn c16_idle_connections_closed_by_the_server() {
    c16(8).await;
}

#[tokio::test]
#[ignore = "the case's 200 rounds take about 4 minutes"]
async fn c16_full_200_rounds() {
    c16(200).await;
}

// ---------------------------------------------------------------- C17

/// Counts panics on threads whose name starts with `c17`: the test threads
/// of the C17 tests (where a current-thread runtime runs its tasks) and the
/// worker threads of their multi-thread runtimes. A panic inside a task or
/// while a runtime drops its tasks would otherwise go unseen.
fn c17_panics() -> &'static AtomicU64 {
    static PANICS: AtomicU64 = AtomicU64::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current()
                .name()
                .is_some_and(|name| name.starts_with("c17"))
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
    &PANICS
}

fn answer_ok(_: &raw_http::RawRequest) -> Vec<u8> {
    json_ok(&json!([{ "id": 79 }]))
}

/// Sends headers, then nothing, so a call stays in flight.
async fn stall_forever(mut conn: Conn) {
    if conn.next_request(None).await.is_ok() {
        let _ = conn.write(&head(200, &[("Content-Length", "10")])).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}

fn client_of(url: &str) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(url)
        .build()
        .unwrap()
}

fn c17_under(runtime: tokio::runtime::Runtime) {
    let panics = c17_panics();
    let server = BackgroundServer::start(|conn| keep_alive(conn, answer_ok));
    let stalling = BackgroundServer::start(stall_forever);
    let url = server.url().to_owned();
    let kept = runtime.block_on(async {
        // Build, call once, clone into a spawned task, drop everything.
        let client = client_of(&url);
        client.core().system_status().await.unwrap();
        let clone = client.clone();
        let task = tokio::spawn(async move {
            let tags = clone.tags().list().await.unwrap();
            drop(clone);
            tags.data.unwrap().len()
        });
        assert_eq!(task.await.expect("the task did not panic"), 1);
        drop(client);

        // A client that outlives the runtime, with a pooled connection.
        let kept = client_of(&url);
        kept.core().system_status().await.unwrap();

        // A call still in flight when the runtime goes away.
        let in_flight = client_of(stalling.url());
        tokio::spawn(async move { in_flight.tags().list().await.map(|_| ()) });
        tokio::time::sleep(ms(100)).await;
        kept
    });
    drop(runtime);
    // Dropped outside any runtime, its pool holding a connection of the
    // runtime that is gone.
    let clone = kept.clone();
    drop(kept);
    drop(clone);
    drop(stalling);
    assert!(server.requests().len() >= 3);
    assert_eq!(panics.load(Ordering::SeqCst), 0, "a C17 thread panicked");
}

#[test]
fn c17_current_thread_runtime() {
    c17_under(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    );
}

#[test]
fn c17_multi_thread_runtime() {
    c17_under(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("c17-worker")
            .enable_all()
            .build()
            .unwrap(),
    );
}

#[test]
fn c17_outside_any_runtime() {
    let panics = c17_panics();
    let server = BackgroundServer::start(|conn| keep_alive(conn, answer_ok));
    // Built and dropped with no runtime at all.
    let client = client_of(server.url());
    let clone = client.clone();
    drop(client);
    drop(clone);

    // Built outside, used in one runtime, then in another after the first
    // is gone: the pooled connection of the first runtime is dead.
    let client = client_of(server.url());
    for _ in 0..2 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let reply = runtime.block_on(client.core().system_status().send());
        assert!(reply.is_ok(), "{reply:?}");
        drop(runtime);
    }
    drop(client);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(panics.load(Ordering::SeqCst), 0, "a C17 thread panicked");
}

// ---------------------------------------------------------------- security

fn build(url: &str, allow_insecure_http: bool) -> Result<Client, Error> {
    Client::builder()
        .token("test-token")
        .base_url(url)
        .allow_insecure_http(allow_insecure_http)
        .build()
}

#[test]
fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    for url in [
        "http://api.commbox.io",
        "http://10.1.2.3:8080/api",
        "http://[2001:db8::1]/",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://0.0.0.0:8080",
    ] {
        let error = build(url, false).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{url}");
        assert!(build(url, true).is_ok(), "{url} with allow_insecure_http");
    }
    assert!(build("https://api.commbox.io", false).is_ok());
    // A user name or password in the base URL is refused whatever the scheme:
    // it would show in Debug output, and the API takes the token alone.
    for url in [
        "http://localhost@example.com",
        "https://user:secretpw@api.commbox.io",
    ] {
        let error = build(url, true).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{url}");
        assert!(
            error.to_string().contains("user name or password"),
            "{error}"
        );
        assert!(!format!("{error:?}").contains("secretpw"), "{error:?}");
    }
}

#[tokio::test]
async fn plain_http_to_loopback_is_accepted() {
    let server = MockServer::start().await;
    answer_all(&server, ok_envelope()).await;
    let port = server.address().port();
    for url in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        format!("http://LOCALHOST:{port}/"),
    ] {
        let client = build(&url, false).unwrap_or_else(|e| panic!("{url}: {e}"));
        let reply = client.core().system_status().await;
        assert!(reply.is_ok(), "{url}: {reply:?}");
    }
    assert!(build("http://[::1]:8080", false).is_ok());
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    answer_all(&server, ok_envelope()).await;
    let client = client_with(&server.uri(), quick_retries());
    for value in [".", "..", "%2e%2E", ".%2E", "%2E"] {
        let get = client.objects().get(value, 7).await.unwrap_err();
        let post = client.sms().send(value).message("hello").await.unwrap_err();
        for error in [get, post] {
            assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{value:?}");
            assert!(!error.may_have_been_processed());
            assert_eq!(error.status(), None);
        }
    }
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = MockServer::start().await;
    answer_all(&elsewhere, ok_envelope()).await;
    let location = format!("{}/stolen", elsewhere.uri());
    for status in [301, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        answer_all(
            &server,
            ResponseTemplate::new(status).insert_header("Location", location.as_str()),
        )
        .await;
        let client = client_with(&server.uri(), quick_retries());
        let post = client
            .sms()
            .send(ENCRYPTED)
            .message("secret message")
            .await
            .unwrap_err();
        let get = client.core().system_status().await.unwrap_err();
        for error in [post, get] {
            assert_eq!(error.status(), Some(status));
            assert_eq!(error.attempts(), 1);
            let shown = error.to_string();
            assert!(shown.contains(&location), "{status}: {shown}");
        }
        assert_eq!(request_count(&server).await, 2);
    }
    assert_eq!(
        request_count(&elsewhere).await,
        0,
        "the other origin received a request"
    );
}

#[tokio::test]
async fn a_redirect_to_another_port_of_the_same_host_is_not_followed() {
    // Same host, other port: another origin, whose server could be anyone's.
    let elsewhere = RawServer::start(|conn| keep_alive(conn, answer_ok)).await;
    let location = format!(
        "{}/stolen",
        elsewhere.url().replace("127.0.0.1", "localhost")
    );
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(307).insert_header("Location", location.as_str()),
    )
    .await;
    let error = client_with(&server.uri(), quick_retries())
        .sms()
        .send(ENCRYPTED)
        .message("secret message")
        .await
        .unwrap_err();
    assert!(error.to_string().contains(&location), "{error}");
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/core/systemstatus"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/core/moved"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/core/moved"))
        .respond_with(ok_envelope())
        .mount(&server)
        .await;
    let reply = client_with(&server.uri(), RetryPolicy::never())
        .core()
        .system_status()
        .await;
    assert!(reply.is_ok(), "{reply:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.path(), "/core/moved");
    assert_eq!(
        cirrus_tests::header(&requests[1], "authorization").as_deref(),
        Some("Bearer test-token")
    );
}

fn limited_client(url: &str, limit: usize) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(url)
        .max_body_bytes(limit)
        .retry(RetryPolicy::never())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_limit_is_an_error_and_one_at_the_limit_is_not() {
    let body = envelope(json!("x".repeat(1000))).to_string();
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
    )
    .await;
    let at_limit = limited_client(&server.uri(), body.len())
        .core()
        .system_status()
        .await;
    assert!(at_limit.is_ok(), "{at_limit:?}");
    let error = limited_client(&server.uri(), body.len() - 1)
        .core()
        .system_status()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert!(error.to_string().contains("max_body_bytes"), "{error}");
}

#[tokio::test]
async fn a_huge_content_length_is_refused_without_reading_it() {
    // A terabyte announced, a kilobyte sent, then silence: the client must
    // neither allocate the terabyte nor wait for it.
    let server = RawServer::start(|mut conn: Conn| async move {
        if conn.next_request(None).await.is_ok() {
            let mut bytes = head(200, &[("Content-Length", "1000000000000")]);
            bytes.extend_from_slice(&[b' '; 1024]);
            let _ = conn.write(&bytes).await;
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
    })
    .await;
    let started = Instant::now();
    let error = limited_client(&server.url(), 1 << 20)
        .core()
        .system_status()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_ne!(error.kind(), ErrorKind::Timeout);
    assert!(error.to_string().contains("max_body_bytes"), "{error}");
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_limit() {
    // Chunks of 64 KiB for as long as the client reads them, 256 MiB at most.
    let sent = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (sent_by_server, done_by_server) = (sent.clone(), done.clone());
    let server = RawServer::start(move |mut conn: Conn| {
        let (sent, done) = (sent_by_server.clone(), done_by_server.clone());
        async move {
            if conn.next_request(None).await.is_err() {
                return;
            }
            let head = head(
                200,
                &[
                    ("Content-Type", "application/json"),
                    ("Transfer-Encoding", "chunked"),
                ],
            );
            let mut ok = conn.write(&head).await.is_ok();
            let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
            chunk.extend_from_slice(&[b' '; 64 * 1024]);
            chunk.extend_from_slice(b"\r\n");
            while ok && sent.load(Ordering::SeqCst) < 256 << 20 {
                ok = conn.write(&chunk).await.is_ok();
                if ok {
                    sent.fetch_add(64 * 1024, Ordering::SeqCst);
                }
            }
            done.store(true, Ordering::SeqCst);
        }
    })
    .await;
    let error = limited_client(&server.url(), 1 << 20)
        .core()
        .system_status()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("max_body_bytes"), "{error}");
    // The client dropped the connection: the server's writes fail soon.
    let started = Instant::now();
    while !done.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(ms(20)).await;
    }
    assert!(done.load(Ordering::SeqCst), "the server is still sending");
    let sent = sent.load(Ordering::SeqCst);
    assert!(
        sent < 64 << 20,
        "the server sent {sent} bytes before the client stopped reading"
    );
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let server = RawServer::start(|mut conn: Conn| async move {
        let _ = conn.next_request(None).await;
        conn.shutdown().await;
    })
    .await;
    let started = Instant::now();
    let error = client_with(&server.url(), quick_retries())
        .sms()
        .send(ENCRYPTED)
        .message("hello")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.may_have_been_processed());
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1, "the POST was not sent again");
}
