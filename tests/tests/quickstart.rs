//! The quickstart example runs in the test suite: the very code of
//! `cirrus-client/examples/quickstart.rs`, against an in-process sandbox
//! over HTTP on 127.0.0.1, with its transcript checked line by line.

#[path = "../../cirrus-client/examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

#[tokio::test]
async fn the_quickstart_runs_its_conversation_against_the_sandbox() {
    let mut out = Vec::new();
    let result = quickstart::run(quickstart::Target::Sandbox, &mut out).await;
    let transcript = String::from_utf8(out).expect("the transcript is text");
    if let Err(error) = result {
        panic!("the quickstart failed: {error}\n{transcript}");
    }
    // Ids worked out by hand: the sandbox's one counter starts at 101 and
    // gives the conversation 101, the new customer 102, the customer's
    // identity 103, then the two messages 104 and 105.
    let expected = [
        "1. System status\n   -> 200 Operation successful",
        "2. Open a conversation in stream hNyRN_fLUy7rrOrN9jLpipA==\n   -> conversation 101 created",
        "3. The customer writes\n   -> message 104: \"Hello, my order 55120 has not arrived yet.\"",
        "4. An agent replies\n   -> message 105: \"Sorry about that, Kim. A replacement ships today.\"",
        "   -> conversation 101 in stream 1402, status Open, customer Kim Lee",
        "   -> 2 messages:\n      #104 from the customer Kim Lee: Hello, my order 55120 has not arrived yet.\n      #105 from the agent Dana Levi: Sorry about that, Kim. A replacement ships today.",
        "6. Tag it with tag 7\n   -> tag 7 added; the conversation has 1 tag(s)",
        "7. Resolve it\n   -> status Resolved\n      activity log: Tag 7 added\n      activity log: Status changed from Open to Resolved",
        "   -> 1 conversation(s):\n      #101 Resolved \"Sorry about that, Kim. A replacement ships today.\"",
        "   -> filtered by status Open or InProcess: 0 conversation(s)",
        "   -> Throttled (HTTP 429), Retry-After 1 s: Too many requests: retry after 1 s\n   -> waiting 1 s, then retrying once\n   -> retried once: 200 Operation successful",
        "10. A conversation that does not exist\n   -> NotFound (HTTP 404): Conversation 999999999 does not exist",
        "The sandbox served 15 requests. Done: every step went as expected.",
    ];
    for piece in expected {
        assert!(
            transcript.contains(piece),
            "the transcript lacks:\n{piece}\n--- transcript ---\n{transcript}"
        );
    }
}

/// The example as a program: `cargo run --example quickstart` exits 0.
/// It builds through cargo, which can wait on other builds, so it runs on
/// demand: `cargo test -p cirrus-tests --test quickstart -- --ignored`.
#[test]
#[ignore = "runs cargo; slow when others build"]
fn the_example_program_exits_0() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "-q",
            "-p",
            "cirrus-client",
            "--example",
            "quickstart",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env_remove("CIRRUS_TOKEN")
        .env_remove("CIRRUS_BASE_URL")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Done: every step went as expected."),
        "{stdout}"
    );
}
