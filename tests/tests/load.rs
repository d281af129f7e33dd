//! Load: 20,000 calls at 128 at a time through the client to the sandbox
//! (in this process, on 127.0.0.1), with 5% of requests faulted (2% `500`,
//! 1% closed connections, 0.9% `429`, 1.1% answers stalled past the
//! client's 2 s timeout). Ignored by default; the figures in RELIABILITY.md come from
//!
//! ```sh
//! cargo test --release -p cirrus-tests --test load -- --ignored --nocapture
//! ```
//!
//! It checks that every call ends in a success or a typed error (and
//! counts them: no call is lost), that no POST reaches the sandbox's state
//! twice (each carries a unique remark text, read back at the end), that an
//! error saying a POST was not processed is true, and that memory stays
//! bounded (peak RSS, `VmHWM`, after a quarter of the calls and at the end;
//! it includes the sandbox).

use cirrus_client::{Client, Error, ErrorKind};
use cirrus_sandbox::{Faults, SEED_ID, Sandbox};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CALLS: usize = 20_000;
const CONCURRENCY: usize = 128;

/// A field of /proc/self/status, in KiB.
fn proc_status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Default)]
struct Tally {
    /// One error message for each failing outcome.
    samples: BTreeMap<String, String>,
    /// Calls that took longer than the client's timeout.
    slow: usize,
    /// Outcomes by method and kind ("ok" or the error kind).
    outcomes: BTreeMap<String, usize>,
    /// POSTs by their unique text: `None` for a success, the error otherwise.
    posts: HashMap<String, Option<Error>>,
}

/// One call, chosen by its number: every fourth a POST (a remark with a
/// unique text on the seed conversation), the others GETs of four kinds.
async fn call(client: &Client, n: usize, tally: &Mutex<Tally>) {
    let started = Instant::now();
    let mut post = None;
    let (method, result) = match n % 8 {
        0 | 4 => {
            let text = format!("load-{n}");
            let result = client.objects().add_remark(SEED_ID).text(&text).await;
            post = Some(text);
            ("POST", result.map(|_| ()))
        }
        1 | 5 => ("GET", client.core().system_status().await.map(|_| ())),
        2 | 6 => ("GET", client.tags().list().await.map(|_| ())),
        3 => ("GET", client.managers().get(SEED_ID).await.map(|_| ())),
        _ => ("GET", client.users().get(SEED_ID).await.map(|_| ())),
    };
    let key = match &result {
        Ok(()) => format!("{method} ok"),
        Err(error) => format!("{method} {:?}", error.kind()),
    };
    let mut tally = tally.lock().unwrap();
    if let Err(error) = &result {
        tally
            .samples
            .entry(key.clone())
            .or_insert_with(|| error.to_string());
    }
    if started.elapsed() > Duration::from_secs(2) {
        tally.slow += 1;
    }
    *tally.outcomes.entry(key).or_default() += 1;
    if let Some(text) = post {
        tally.posts.insert(text, result.err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20,000 calls; run with --ignored (see RELIABILITY.md)"]
async fn twenty_thousand_calls_with_faults() {
    // 5% in all. The throttle and stall shares differ on purpose: the
    // sandbox's counters are exact and both count every request that was
    // not closed, so equal shares would put every stall on a throttled
    // request, which is answered before a stall applies.
    let faults = Faults {
        server_error_share: 0.02,
        close_share: 0.01,
        throttle_share: 0.009,
        stall_share: 0.011,
        stall: Duration::from_secs(3),
        ..Faults::default()
    };
    let sandbox = Sandbox::builder()
        .faults(faults)
        .retry_after(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .token(sandbox.token())
        .base_url(sandbox.url())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();

    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let quarter_peak = Arc::new(Mutex::new(0u64));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, next, tally, quarter_peak) = (
            client.clone(),
            next.clone(),
            tally.clone(),
            quarter_peak.clone(),
        );
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= CALLS {
                    return;
                }
                if n == CALLS / 4 {
                    *quarter_peak.lock().unwrap() = proc_status_kib("VmHWM");
                }
                call(&client, n, &tally).await;
            }
        });
    }
    let all_done = async {
        while let Some(joined) = workers.join_next().await {
            joined.expect("a worker panicked");
        }
    };
    tokio::time::timeout(Duration::from_secs(900), all_done)
        .await
        .expect("the calls finished within 15 minutes");
    let elapsed = started.elapsed();
    let peak_kib = proc_status_kib("VmHWM");

    // Read the remarks back, with faults off.
    sandbox.set_faults(Faults::default());
    let remark_posts = sandbox.requests("Objects.AddRemark");
    let activities = client
        .objects()
        .get_activities(SEED_ID)
        .await
        .expect("the activity log reads back")
        .data
        .unwrap_or_default();
    let mut stored: HashMap<String, usize> = HashMap::new();
    for entry in activities {
        if let Some(text) = entry.data {
            *stored.entry(text).or_default() += 1;
        }
    }

    let tally = tally.lock().unwrap();
    let total: usize = tally.outcomes.values().sum();
    assert_eq!(total, CALLS, "every call ended, once");
    assert_eq!(tally.posts.len(), CALLS / 4);
    let mut failed_posts_processed = 0;
    for (text, error) in &tally.posts {
        let times = stored.get(text).copied().unwrap_or(0);
        assert!(times <= 1, "POST {text} was processed {times} times");
        match error {
            None => assert_eq!(times, 1, "POST {text} succeeded but is not stored"),
            Some(error) => {
                if !error.may_have_been_processed() {
                    assert_eq!(times, 0, "POST {text}: {error}");
                }
                if times == 1 {
                    failed_posts_processed += 1;
                }
                assert!(
                    !matches!(error.kind(), ErrorKind::Decode | ErrorKind::Config),
                    "POST {text}: {error}"
                );
            }
        }
    }
    for (outcome, count) in &tally.outcomes {
        assert!(
            !outcome.contains("Decode") && !outcome.contains("Config"),
            "{count} calls ended in {outcome}"
        );
    }
    let quarter_peak = *quarter_peak.lock().unwrap();
    eprintln!(
        "load: {CALLS} calls, {CONCURRENCY} at a time, in {:.1} s ({:.0} calls/s)",
        elapsed.as_secs_f64(),
        CALLS as f64 / elapsed.as_secs_f64()
    );
    eprintln!(
        "load: outcomes {:?}; {} calls took over 2 s",
        tally.outcomes, tally.slow
    );
    for (outcome, message) in &tally.samples {
        eprintln!("load: e.g. {outcome}: {message}");
    }
    eprintln!(
        "load: {} POSTs, {} requests of them reached the sandbox, {} stored, none twice; \
         {failed_posts_processed} failed POSTs were processed (stalled answers), each \
         saying it may have been",
        tally.posts.len(),
        remark_posts,
        tally
            .posts
            .keys()
            .filter(|t| stored.contains_key(*t))
            .count()
    );
    eprintln!(
        "load: sandbox saw {} requests; peak RSS {} MiB after a quarter of the calls, {} MiB at the end",
        sandbox.total_requests(),
        quarter_peak / 1024,
        peak_kib / 1024
    );
    assert!(peak_kib < 1024 * 1024, "peak RSS {peak_kib} KiB");
    // Bounded: the last three quarters of the calls add little to the peak.
    assert!(
        peak_kib < quarter_peak + 256 * 1024,
        "peak RSS grew from {quarter_peak} KiB to {peak_kib} KiB"
    );
}
