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
    /// Answer 429 beyond this many requests per --rate-window (1 or more).
    #[arg(long, value_name = "REQUESTS", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: Option<u32>,
    /// The rate-limit window, in seconds (1 or more).
    #[arg(long, value_name = "SECONDS", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    rate_window: u64,
    /// Retry-After of a forced 429, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    retry_after: u64,
    /// Start with no records (no seed conversation, customer or agent).
    #[arg(long)]
    no_seed: bool,
    /// Fault: share of requests answered 500 (0.0 to 1.0).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share)]
    error_share: f64,
    /// Fault: latency added to every answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Fault: share of answers whose body stalls after the headers.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share)]
    stall_share: f64,
    /// Fault: how long a stalled body waits, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    stall_ms: u64,
    /// Fault: share of requests whose connection is closed without an answer.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share)]
    close_share: f64,
    /// Fault: share of requests answered 429 with Retry-After.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share)]
    throttle_share: f64,
}

/// A share of requests: a number from 0.0 to 1.0.
fn share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        Ok(_) => Err("a share is from 0.0 (none) to 1.0 (every request)".to_owned()),
        Err(_) => Err("a share is a number from 0.0 (none) to 1.0 (every request)".to_owned()),
    }
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
            per: Duration::from_secs(args.rate_window),
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

#[cfg(test)]
mod tests {
    use super::Args;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("cirrus-sandbox").chain(args.iter().copied()))
    }

    #[test]
    fn shares_outside_zero_to_one_are_refused() {
        for bad in ["2", "-0.1", "NaN", "half"] {
            for flag in [
                "--error-share",
                "--stall-share",
                "--close-share",
                "--throttle-share",
            ] {
                assert!(parse(&[flag, bad]).is_err(), "{flag} {bad}");
            }
        }
        let args = parse(&["--error-share", "0.25", "--throttle-share", "1"]).unwrap();
        assert_eq!((args.error_share, args.throttle_share), (0.25, 1.0));
    }

    #[test]
    fn a_rate_limit_or_window_of_zero_is_refused() {
        // A limit of 0 would answer 429 to every request, for good.
        assert!(parse(&["--rate-limit", "0"]).is_err());
        assert!(parse(&["--rate-limit", "5", "--rate-window", "0"]).is_err());
        let args = parse(&["--rate-limit", "5"]).unwrap();
        assert_eq!((args.rate_limit, args.rate_window), (Some(5), 1));
    }
}
