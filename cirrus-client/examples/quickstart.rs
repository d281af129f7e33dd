//! A conversation from start to finish through the typed client.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With `CIRRUS_TOKEN` and `CIRRUS_BASE_URL` unset, it starts the local
//! sandbox (`cirrus-sandbox`) in this process and talks HTTP to it on
//! 127.0.0.1. With both set, it runs against that server instead, in the
//! stream `CIRRUS_STREAM_ID` (default `1`) with the tag `CIRRUS_TAG_ID`
//! (default `1`), replying as the agent `CIRRUS_AGENT_ID` if set; note that
//! it then creates a real conversation there.
//!
//! It prints a transcript of every call and exits 0 when every step went
//! as expected.

use cirrus_client::types::{
    CustomerInfo, ObjectStatus, ObjectType, StreamObject, StreamProviderType,
};
use cirrus_client::{Client, ErrorKind, RetryPolicy};
use std::error::Error;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The stream the sandbox run uses: an encrypted id, `=` padding and all.
const SANDBOX_STREAM: &str = "hNyRN_fLUy7rrOrN9jLpipA==";

/// An id no conversation has.
const MISSING_ID: i64 = 999_999_999;

/// Where the quickstart runs.
pub enum Target {
    /// A sandbox started in this process.
    Sandbox,
    /// A server named by the environment.
    Remote {
        /// `CIRRUS_BASE_URL`.
        base_url: String,
        /// `CIRRUS_TOKEN`.
        token: String,
        /// `CIRRUS_STREAM_ID`.
        stream_id: String,
        /// `CIRRUS_TAG_ID`.
        tag_id: i64,
        /// `CIRRUS_AGENT_ID`.
        agent_id: Option<i64>,
    },
}

impl Target {
    /// The remote server if `CIRRUS_TOKEN` and `CIRRUS_BASE_URL` are both
    /// set, else the sandbox.
    pub fn from_env() -> Target {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        match (
            var(cirrus_client::TOKEN_VAR),
            var(cirrus_client::BASE_URL_VAR),
        ) {
            (Some(token), Some(base_url)) => Target::Remote {
                base_url,
                token,
                stream_id: var("CIRRUS_STREAM_ID").unwrap_or_else(|| "1".to_owned()),
                tag_id: var("CIRRUS_TAG_ID")
                    .and_then(|t| t.trim().parse().ok())
                    .unwrap_or(1),
                agent_id: var("CIRRUS_AGENT_ID").and_then(|a| a.trim().parse().ok()),
            },
            _ => Target::Sandbox,
        }
    }
}

type Failure = Box<dyn Error>;

/// Writes one line of the transcript.
macro_rules! say {
    ($out:expr) => { writeln!($out)? };
    ($out:expr, $($arg:tt)*) => { writeln!($out, $($arg)*)? };
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut out = std::io::stdout();
    match run(Target::from_env(), &mut out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = out.flush();
            eprintln!("\nquickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the whole flow, writing the transcript to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Failure> {
    say!(out, "Cirrus quickstart");
    say!(out, "=================");
    let (client, sandbox, stream_id, tag_id, agent_id) = match target {
        Target::Sandbox => {
            say!(
                out,
                "CIRRUS_TOKEN and CIRRUS_BASE_URL are not both set: starting the local sandbox."
            );
            let sandbox = cirrus_sandbox::Sandbox::builder().start().await?;
            say!(
                out,
                "Sandbox listening at {} (token `{}`)",
                sandbox.url(),
                sandbox.token()
            );
            let client = Client::builder()
                .token(sandbox.token())
                .base_url(sandbox.url())
                .build()?;
            // The sandbox starts with agent 1 (Dana Levi).
            let agent = Some(cirrus_sandbox::SEED_ID);
            (client, Some(sandbox), SANDBOX_STREAM.to_owned(), 7, agent)
        }
        Target::Remote {
            base_url,
            token,
            stream_id,
            tag_id,
            agent_id,
        } => {
            say!(out, "Running against {base_url} (from CIRRUS_BASE_URL).");
            let client = Client::builder().token(token).base_url(base_url).build()?;
            (client, None, stream_id, tag_id, agent_id)
        }
    };

    say!(out);
    say!(out, "1. System status");
    let status = client.core().system_status().await?;
    say!(out, "   -> {} {}", status.status, status.description);

    say!(out);
    say!(out, "2. Open a conversation in stream {stream_id}");
    let mut create = client
        .objects()
        .create(stream_id.as_str(), "Order 55120 has not arrived")
        .r#type(ObjectType::Mail)
        .status_id(ObjectStatus::Open)
        .user_stream_provider_id("kim.lee@example.com")
        .user_stream_provider_type(StreamProviderType::Mail)
        .user(CustomerInfo {
            first_name: Some("Kim".to_owned()),
            last_name: Some("Lee".to_owned()),
            email: Some("kim.lee@example.com".to_owned()),
            ..CustomerInfo::default()
        })
        .content(serde_json::json!({"subject": "Where is my order?"}));
    if let Some(agent) = agent_id {
        create = create.manager_id(agent);
    }
    let created = create.await?;
    let object_id = created.data.ok_or("Objects.Create answered no id")?.id;
    say!(out, "   -> conversation {object_id} created");

    say!(out);
    say!(out, "3. The customer writes");
    let customer_text = "Hello, my order 55120 has not arrived yet.";
    let message = client
        .objects()
        .create_child(stream_id.as_str(), object_id)
        .message(customer_text)
        .user_stream_provider_id("kim.lee@example.com")
        .user_stream_provider_type(StreamProviderType::Mail)
        .await?;
    let message_id = message.data.ok_or("Objects.CreateChild answered no id")?.id;
    say!(out, "   -> message {message_id}: {customer_text:?}");

    say!(out);
    say!(out, "4. An agent replies");
    let agent_text = "Sorry about that, Kim. A replacement ships today.";
    let mut reply = client
        .objects()
        .create_child(stream_id.as_str(), object_id)
        .message(agent_text)
        .is_manager(true);
    if let Some(agent) = agent_id {
        // For an agent's message, UserIdentity is the agent's id.
        reply = reply.user_identity(agent);
    }
    let reply = reply.await?;
    let reply_id = reply.data.ok_or("Objects.CreateChild answered no id")?.id;
    say!(out, "   -> message {reply_id}: {agent_text:?}");

    say!(out);
    say!(out, "5. Read the conversation back with its messages");
    let conversation = read_conversation(&client, &stream_id, object_id).await?;
    let numeric_stream = conversation
        .streamid
        .or(conversation.stream_id)
        .ok_or("Objects.Get answered no stream id")?;
    say!(
        out,
        "   -> conversation {object_id} in stream {numeric_stream}, status {:?}, customer {} {}",
        conversation.status_id.ok_or("no status")?,
        conversation.first_name.as_deref().unwrap_or("?"),
        conversation.last_name.as_deref().unwrap_or("?"),
    );
    let messages = conversation.childs.clone().unwrap_or_default();
    say!(out, "   -> {} messages:", messages.len());
    for child in &messages {
        let from_agent = child
            .user
            .as_ref()
            .and_then(|u| u.is_manager)
            .unwrap_or(false);
        let role = if from_agent { "agent" } else { "customer" };
        let name = format!(
            "{} {}",
            child.first_name.as_deref().unwrap_or(""),
            child.last_name.as_deref().unwrap_or("")
        );
        let author = match name.trim() {
            "" => role.to_owned(),
            name => format!("{role} {name}"),
        };
        say!(
            out,
            "      #{} from the {author}: {}",
            child.id,
            child.message.as_deref().unwrap_or("")
        );
    }
    if messages.len() < 2 {
        return Err("the conversation should hold the customer's message and the reply".into());
    }

    say!(out);
    say!(out, "6. Tag it with tag {tag_id}");
    client
        .tags()
        .add_to_object(numeric_stream, object_id, tag_id)
        .await?;
    let tagged = read_conversation(&client, &stream_id, object_id).await?;
    say!(
        out,
        "   -> tag {tag_id} added; the conversation has {} tag(s)",
        tagged.num_tags.unwrap_or(0)
    );

    say!(out);
    say!(out, "7. Resolve it");
    client
        .objects()
        .set_status(object_id, ObjectStatus::Resolved)
        .await?;
    let resolved = read_conversation(&client, &stream_id, object_id).await?;
    let status = resolved.status_id.ok_or("no status")?;
    say!(out, "   -> status {status:?}");
    if status != ObjectStatus::Resolved {
        return Err(format!("expected the status Resolved, read {status:?}").into());
    }
    let activities = client.objects().get_activities(object_id).await?;
    for entry in activities.data.unwrap_or_default() {
        say!(
            out,
            "      activity log: {}",
            entry.data.as_deref().unwrap_or("")
        );
    }

    say!(out);
    say!(
        out,
        "8. List the stream's conversations (page 0, 10 a page)"
    );
    let listed = client
        .streams()
        .get_objects(stream_id.as_str())
        .page_number(0)
        .page_size(10)
        .await?;
    let listed = listed.data.unwrap_or_default();
    say!(out, "   -> {} conversation(s):", listed.len());
    for item in &listed {
        say!(
            out,
            "      #{} {:?} {:?}",
            item.object_id.or(item.id).unwrap_or(0),
            item.status_id.unwrap_or(ObjectStatus::Unknown(0)),
            item.message.as_deref().unwrap_or("")
        );
    }
    let open = client
        .streams()
        .get_objects(stream_id.as_str())
        .status(vec![ObjectStatus::Open, ObjectStatus::InProcess])
        .await?;
    say!(
        out,
        "   -> filtered by status Open or InProcess: {} conversation(s)",
        open.data.map_or(0, |d| d.len())
    );

    say!(out);
    say!(out, "9. A throttled call");
    if let Some(sandbox) = &sandbox {
        // The sandbox answers the next request 429 with Retry-After.
        sandbox.throttle_next(1);
        say!(out, "   (the sandbox is told to throttle the next request)");
    }
    // The client waits and retries a 429 by itself; this call turns that
    // off to show the typed error and handle it by hand.
    match client
        .core()
        .system_status()
        .retry(RetryPolicy::never())
        .await
    {
        Ok(answer) => say!(
            out,
            "   -> not throttled this time: {} {}",
            answer.status,
            answer.description
        ),
        Err(error) if error.kind() == ErrorKind::Throttled => {
            let wait = error.retry_after().unwrap_or(Duration::from_secs(1));
            say!(
                out,
                "   -> {:?} (HTTP {}), Retry-After {} s: {}",
                error.kind(),
                error.status().unwrap_or(0),
                wait.as_secs(),
                error.description().unwrap_or("")
            );
            say!(
                out,
                "   -> waiting {} s, then retrying once",
                wait.as_secs()
            );
            tokio::time::sleep(wait).await;
            let again = client
                .core()
                .system_status()
                .retry(RetryPolicy::never())
                .await?;
            say!(
                out,
                "   -> retried once: {} {}",
                again.status,
                again.description
            );
        }
        Err(error) => return Err(error.into()),
    }

    say!(out);
    say!(out, "10. A conversation that does not exist");
    match client.objects().get(stream_id.as_str(), MISSING_ID).await {
        Ok(_) => return Err(format!("conversation {MISSING_ID} unexpectedly exists").into()),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            say!(
                out,
                "   -> {:?} (HTTP {}): {}",
                error.kind(),
                error.status().unwrap_or(0),
                error.description().unwrap_or("")
            );
            say!(out, "   -> as a message: {error}");
        }
        Err(error) => return Err(error.into()),
    }

    say!(out);
    if let Some(sandbox) = sandbox {
        say!(
            out,
            "The sandbox served {} requests. Done: every step went as expected.",
            sandbox.total_requests()
        );
        sandbox.shutdown().await;
    } else {
        say!(out, "Done: every step went as expected.");
    }
    Ok(())
}

/// Objects.Get with the messages, the one conversation it lists.
async fn read_conversation(
    client: &Client,
    stream_id: &str,
    object_id: i64,
) -> Result<StreamObject, Failure> {
    let answer = client
        .objects()
        .get(stream_id, object_id)
        .include_childs(true)
        .await?;
    answer
        .data
        .and_then(|list| list.into_iter().next())
        .ok_or_else(|| format!("Objects.Get listed no conversation {object_id}").into())
}
