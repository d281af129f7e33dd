//! `cirrus-sandbox`: serves the Cirrus Digital API on 127.0.0.1 from a spec.
//!
//! ```text
//! cargo run -p cirrus-sandbox -- --port 8080
//! ```

use cirrus_sandbox::{DEFAULT_TOKEN, Faults, RateLimit, Sandbox};
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A local Cirrus Digital API server driven by the spec.
#[derive(Debug, Parser)]
#[command(name = "cirrus-sandbox", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The bearer token to accept.
    #[arg(long, default_value = DEFAULT_TOKEN)]
    token: String,
    /// Serve this spec instead of the embedded spec/cirrus.json.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Answer 429 beyond this many requests per --rate-window.
    #[arg(long, value_name = "REQUESTS")]
    rate_limit: Option<u32>,
    /// The rate-limit window, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    rate_window: u64,
    /// Retry-After of a forced 429, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    retry_after: u64,
    /// Start with no records (no seed conversation, customer or agent).
    #[arg(long)]
    no_seed: bool,
    /// Fault: share of requests answered 500 (0.0 to 1.0).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    error_share: f64,
    /// Fault: latency added to every answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Fault: share of answers whose body stalls after the headers.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    stall_share: f64,
    /// Fault: how long a stalled body waits, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    stall_ms: u64,
    /// Fault: share of requests whose connection is closed without an answer.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    close_share: f64,
    /// Fault: share of requests answered 429 with Retry-After.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    throttle_share: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = Sandbox::builder()
        .port(args.port)
        .token(args.token)
        .seed(!args.no_seed)
        .retry_after(Duration::from_secs(args.retry_after))
        .faults(Faults {
            server_error_share: args.error_share,
            latency: Duration::from_millis(args.latency_ms),
            stall_share: args.stall_share,
            stall: Duration::from_millis(args.stall_ms),
            close_share: args.close_share,
            throttle_share: args.throttle_share,
        });
    if let Some(path) = args.spec {
        builder = builder.spec_file(path);
    }
    if let Some(requests) = args.rate_limit {
        builder = builder.rate_limit(RateLimit {
            requests,
            per: Duration::from_secs(args.rate_window.max(1)),
        });
    }
    let sandbox = match builder.start().await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("cirrus-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    let spec = sandbox.spec();
    println!(
        "cirrus-sandbox: serving {} {} ({} operations) at {}",
        spec.title,
        spec.version,
        spec.operations().count(),
        sandbox.url()
    );
    println!("token: {}", sandbox.token());
    println!(
        "try:   curl -H 'Authorization: Bearer {}' {}/core/systemstatus",
        sandbox.token(),
        sandbox.url()
    );
    println!(
        "use:   CIRRUS_BASE_URL={} CIRRUS_TOKEN={}",
        sandbox.url(),
        sandbox.token()
    );
    let faults = sandbox.faults();
    if faults.is_active() {
        println!("faults: {faults:?}");
    }
    println!("Ctrl-C stops it.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("cirrus-sandbox: cannot wait for Ctrl-C ({error}); stopping");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
