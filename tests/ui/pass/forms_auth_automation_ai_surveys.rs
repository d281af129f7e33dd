//! Forms, Authentication, Automation, AiServices and Surveys: every
//! operation, called with its required arguments in spec order, every
//! optional parameter set, and the response bound to the type the spec
//! gives it.

#![deny(warnings)]

use cirrus_client::types::{AiSummary, FormLink, LoginTicket, StreamProviderType, StringId};
use cirrus_client::{Client, Envelope, Error, FilePart, NoData};
use serde_json::{Value, json};

async fn calls(client: &Client) -> Result<(), Error> {
    // Forms: the predefined link's file part has an empty wire name; the
    // spec calls it `file` in Rust.
    let _: Envelope<FormLink> = client
        .forms()
        .create_link(11)
        .stream_provider_id("someone@example.com")
        .stream_provider_type(StreamProviderType::Commbox)
        .referring_object_id(7)
        .auto_upload(true)
        .properties(json!({"FirstName": "Ada"}))
        .await?;
    let _: Envelope<FormLink> = client
        .forms()
        .create_predefined_link(
            11,
            "someone@example.com",
            StreamProviderType::Commbox,
            FilePart::new("background.pdf", b"%PDF-1.7".to_vec()).mime("application/pdf"),
        )
        .referring_object_id(7)
        .await?;

    // Authentication
    let _: Envelope<LoginTicket> = client
        .authentication()
        .create_ticket()
        .brand("acme")
        .username("ada")
        .email("ada@example.com")
        .unique_id("u-1")
        .first_name("Ada")
        .last_name("Lovelace")
        .phone1("972500000000")
        .override_user_info(true)
        .one_time_use(false)
        .await?;

    // Automation
    let _: Envelope<Value> = client
        .automation()
        .get_context(7, vec!["FirstName".to_owned(), "LastName".to_owned()])
        .await?;
    let _: Envelope<StringId> = client
        .automation()
        .set_context(7)
        .properties(json!({"FirstName": "Ada"}))
        .await?;
    let _: Envelope<StringId> = client
        .automation()
        .jump_to_node(7)
        .address("node-3")
        .await?;

    // AiServices
    let _: Envelope<AiSummary> = client
        .ai_services()
        .request_summary("The customer asked about an invoice.", "en")
        .callback_url("https://example.com/done")
        .await?;
    let _: Envelope<AiSummary> = client.ai_services().get_summary("action-1").await?;

    // Surveys: six required parameters, the most an operation may have.
    let _: Envelope<NoData> = client
        .surveys()
        .add_external_response(
            7,
            31,
            "q-1",
            "How did we do?",
            vec!["Good".to_owned(), "Bad".to_owned()],
            "Good",
        )
        .await?;
    Ok(())
}

fn main() {
    // Compiling is the test: the calls are never made.
    let _ = calls;
}
