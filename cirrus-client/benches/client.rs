//! The generated client against the code a careful engineer would write by
//! hand with reqwest and serde_json, each measured beside its baseline in
//! one run. `cargo bench -p cirrus-client --bench client`; the figures and
//! their ratios are in BENCHMARKS.md.

use cirrus_client::types::StreamObject;
use cirrus_client::{Client, Operation};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes, to measure the decode's peak memory.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are only arithmetic on the side.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const TOKEN: &str = "bench-token";

/// The envelope as a hand-written client would declare it.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde; the fields exist to be decoded
struct RawEnvelope<T> {
    status: u16,
    description: String,
    response_time: String,
    data: Option<T>,
}

/// One conversation as the API sends it, numbered `i`: about 1 KB.
fn conversation(i: u64) -> serde_json::Value {
    serde_json::json!({
        "objectId": 1_839_204_411u64 + i, "streamId": 1402, "substreamId": 0,
        "streamProviderId": "support@shop.example.com", "streamProviderType": 4,
        "user_identity": 90412 + i, "firstName": "Sam", "lastName": "Jones",
        "userStreamProviderId": format!("customer{i}@example.com"), "userStreamProviderType": 4,
        "content": "{\"subject\":\"Order 55120 not delivered\"}",
        "message": "Hello, my order has not arrived yet. It was due on Monday and the tracking page has not changed since last week.",
        "createdTime": "2024-08-05T13:20:11.493", "updatedTime": "2024-08-05T14:02:10.117",
        "closedTime": null, "firstResponseTime": "2024-08-05T13:41:02.2",
        "lastResponseTime": "2024-08-05T14:02:10.117", "priorityTime": "2024-08-05T13:20:11.493",
        "statusId": 1, "assignedManagerId": 311, "lastAssignedManagerId": 311, "type": 5, "numTags": 1,
        "user": {"id": 88123 + i, "uniqueId": "302145567", "phone1": "447700900123", "phone2": "",
                 "email": "sam.jones@example.com", "firstName": "Sam", "lastName": "Jones",
                 "gender": "M", "numberIdentities": 2, "locale": "en-GB", "birthday": "",
                 "remarks": "", "content": "{}"},
        "isManager": false
    })
}

fn envelope_of(count: u64) -> Vec<u8> {
    let data: Vec<_> = (0..count).map(conversation).collect();
    serde_json::to_vec(&serde_json::json!({
        "status": 200, "description": "Operation successful",
        "response_time": "2024-08-06T07:51:52.2581942Z", "data": data,
    }))
    .expect("a JSON value serializes")
}

/// A server on 127.0.0.1 answering every request with `body`.
async fn serve(body: Vec<u8>) -> String {
    let body = axum::body::Bytes::from(body);
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([("content-type", "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("a bound address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

fn call(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let base = runtime.block_on(serve(envelope_of(1)));
    let client = Client::builder()
        .token(TOKEN)
        .base_url(&base)
        .build()
        .expect("client");
    // A careful engineer sets a timeout, as the generated client does.
    let raw = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("reqwest client");
    let raw_url =
        format!("{base}/streams/hNyRN_fLUy7rrOrN9jLpipA%3D%3D/objects/7?includeChilds=true");

    let generated = || async {
        client
            .objects()
            .get("hNyRN_fLUy7rrOrN9jLpipA==", 7)
            .include_childs(true)
            .await
            .expect("call")
    };
    let by_hand = || async {
        let response = raw
            .get(&raw_url)
            .bearer_auth(TOKEN)
            .header("accept", "application/json")
            .send()
            .await
            .expect("send");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("body");
        serde_json::from_slice::<RawEnvelope<Vec<StreamObject>>>(&bytes).expect("decode")
    };

    // Warm both sides alike first: the server's connections, the pools and
    // the allocator. Without it, whichever side runs first pays for the
    // warm-up, which is more than the difference being measured.
    runtime.block_on(async {
        for _ in 0..2_000 {
            generated().await;
            by_hand().await;
        }
        // Both pools open their 64 connections before anything is timed.
        for _ in 0..20 {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let client = client.clone();
                let raw = raw.clone();
                let url = raw_url.clone();
                set.spawn(async move {
                    client.core().system_status().await.expect("call");
                    raw.get(&url)
                        .bearer_auth(TOKEN)
                        .send()
                        .await
                        .expect("send")
                        .bytes()
                        .await
                        .expect("body");
                });
            }
            set.join_all().await;
        }
    });

    let mut group = c.benchmark_group("a_one_call");
    group.bench_function("raw_reqwest_serde_json", |b| {
        b.to_async(&runtime).iter(by_hand)
    });
    group.bench_function("generated_client", |b| b.to_async(&runtime).iter(generated));
    group.finish();

    let mut group = c.benchmark_group("a_64_in_flight");
    group.throughput(criterion::Throughput::Elements(64));
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let client = client.clone();
                set.spawn(async move {
                    client
                        .objects()
                        .get("hNyRN_fLUy7rrOrN9jLpipA==", 7)
                        .include_childs(true)
                        .await
                        .expect("call")
                        .status
                });
            }
            set.join_all().await
        })
    });
    group.bench_function("raw_reqwest_serde_json", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..64 {
                let raw = raw.clone();
                let url = raw_url.clone();
                set.spawn(async move {
                    let bytes = raw
                        .get(&url)
                        .bearer_auth(TOKEN)
                        .send()
                        .await
                        .expect("send")
                        .bytes()
                        .await
                        .expect("body");
                    serde_json::from_slice::<RawEnvelope<Vec<StreamObject>>>(&bytes)
                        .expect("decode")
                        .status
                });
            }
            set.join_all().await
        })
    });
    group.finish();
}

static GET_OBJECTS: Operation = Operation {
    module: "Streams",
    name: "GetObjects",
    method: "GET",
    path: "/streams/{STREAM_ID}/objects",
    body: "none",
    envelope: true,
};

fn decode(c: &mut Criterion) {
    let body = envelope_of(10_000);

    // Peak memory, once each, before the timed runs.
    let peak_of = |run: &dyn Fn(Vec<u8>) -> usize| {
        let input = body.clone();
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let count = run(input);
        assert_eq!(count, 10_000);
        PEAK.load(Ordering::Relaxed) - before
    };
    let client_peak = peak_of(&|input| {
        let envelope = cirrus_client::__private::decode_response::<Vec<StreamObject>>(
            &GET_OBJECTS,
            200,
            input,
        )
        .expect("decode");
        envelope.data.map_or(0, |d| d.len())
    });
    let raw_peak = peak_of(&|input| {
        let envelope: RawEnvelope<Vec<StreamObject>> =
            serde_json::from_slice(&input).expect("decode");
        envelope.data.map_or(0, |d| d.len())
    });
    let mb = |bytes: usize| bytes as f64 / 1_048_576.0;
    println!(
        "b_decode_10k peak memory: body {:.1} MiB; client path {:.1} MiB ({:.2}x body); \
         from_slice {:.1} MiB ({:.2}x body)",
        mb(body.len()),
        mb(client_peak),
        client_peak as f64 / body.len() as f64,
        mb(raw_peak),
        raw_peak as f64 / body.len() as f64,
    );

    let mut group = c.benchmark_group("b_decode_10k");
    group.sample_size(20);
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function("serde_json_from_slice", |b| {
        b.iter_batched(
            || body.clone(),
            |input| {
                serde_json::from_slice::<RawEnvelope<Vec<StreamObject>>>(&input).expect("decode")
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("client_decode_path", |b| {
        b.iter_batched(
            || body.clone(),
            |input| {
                cirrus_client::__private::decode_response::<Vec<StreamObject>>(
                    &GET_OBJECTS,
                    200,
                    input,
                )
                .expect("decode")
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, call, decode);
criterion_main!(benches);
