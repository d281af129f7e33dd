//! Core, Objects and Streams: every operation, called with its required
//! arguments in spec order, every optional parameter set, and the response
//! bound to the type the spec gives it.

#![deny(warnings)]

use cirrus_client::types::{
    Activity, CreatedId, CustomerInfo, ObjectActivityType, ObjectIndicators, ObjectOrder,
    ObjectStatus, ObjectType, SlaBreachSummary, SortDirection, StreamAvailability, StreamObject,
    StreamProviderType, StreamStatusCount, Transcript,
};
use cirrus_client::{Client, Envelope, Error, NoData};
use serde_json::{Value, json};

fn is_send<T: Send>(_: &T) {}

async fn calls(client: &Client) -> Result<(), Error> {
    // Core: a request with no parameters, awaited through `IntoFuture`; the
    // future can move between threads.
    let future = std::future::IntoFuture::into_future(client.core().system_status());
    is_send(&future);
    let _: Envelope<NoData> = future.await?;
    let _: Envelope<NoData> = client.core().system_status().send().await?;

    // Objects
    let owned_id: String = "hNyRN_fLUy7rrOrN9jLpipA==".to_owned();
    let _: Envelope<CreatedId> = client
        .objects()
        .create(owned_id.clone(), "Hello")
        .sub_stream_id(12)
        .r#type(ObjectType::Text)
        .status_id(ObjectStatus::Open)
        .stream_provider_type(StreamProviderType::Commbox)
        .stream_provider_id("someone@example.com")
        .user_stream_provider_id(String::from("972500000000"))
        .user_stream_provider_type(StreamProviderType::Commbox)
        .user_identity(5)
        .manager_id(9)
        .content(json!({"subject": "Hi"}))
        .send_to_client(false)
        .create_child_object(true)
        .user(CustomerInfo {
            first_name: Some("Ada".to_owned()),
            ..CustomerInfo::default()
        })
        .await?;
    let _: Envelope<CreatedId> = client
        .objects()
        .create_child(&owned_id, 7)
        .r#type(ObjectType::Text)
        .is_manager(true)
        .user_identity(5)
        .user_stream_provider_id("someone@example.com")
        .user_stream_provider_type(StreamProviderType::Commbox)
        .message("A reply")
        .send()
        .await?;
    let _: Envelope<Vec<StreamObject>> = client
        .objects()
        .get("hNyRN_fLUy7rrOrN9jLpipA==", 7)
        .include_childs(true)
        .include_activity_log(false)
        .await?;
    let _: Envelope<Vec<Activity>> = client
        .objects()
        .get_activities(7)
        .activity_type(ObjectActivityType::Remark)
        .await?;
    let _: Envelope<Vec<Transcript>> = client.objects().get_transcript("s", 7).await?;
    let _: Envelope<String> = client
        .objects()
        .set_status(7, ObjectStatus::Resolved)
        .await?;
    let _: Envelope<Value> = client
        .objects()
        .update_stream(7, 3)
        .sub_stream_id(4)
        .await?;
    let _: Envelope<String> = client
        .objects()
        .set_content(7, json!({"key": "value"}))
        .await?;
    let _: Envelope<String> = client
        .objects()
        .add_activity_log(7)
        .text("Called the customer")
        .source("phone")
        .manager_id(9)
        .await?;
    let _: Envelope<String> = client
        .objects()
        .add_remark(7)
        .text("VIP")
        .manager_id(9)
        .await?;
    let _: Envelope<String> = client
        .objects()
        .set_indicator(7)
        .indicator_id("vip")
        .title("VIP")
        .display_class("gold")
        .link("https://example.com")
        .icon("star")
        .await?;
    #[allow(deprecated)]
    let _: Envelope<ObjectIndicators> = client.objects().get_indicators(7).await?;
    let _: Envelope<String> = client.objects().delete_indicator(7, "vip").await?;
    let _: Envelope<CreatedId> = client
        .objects()
        .create_child_by_address("s", "someone@example.com", StreamProviderType::Commbox)
        .r#type(ObjectType::Text)
        .is_manager(false)
        .user_identity(5)
        .user_stream_provider_id("someone@example.com")
        .user_stream_provider_type(StreamProviderType::Commbox)
        .message("Hello again")
        .await?;

    // Streams: here the stream id is typed int64 by one operation and
    // string by the others, as the API documents them.
    let _: Envelope<StreamAvailability> = client
        .streams()
        .get_availability(42)
        .ignore_automation_exsistance(true)
        .auto_assign(false)
        .include_details(true)
        .await?;
    let _: Envelope<StreamAvailability> = client
        .streams()
        .get_substream_availability("42", 3)
        .ignore_automation_exsistance(false)
        .auto_assign(true)
        .include_details(false)
        .await?;
    let _: Envelope<Vec<StreamObject>> = client
        .streams()
        .get_objects("hNyRN_fLUy7rrOrN9jLpipA==")
        .user_identity_id(5)
        .identity_stream_provider_id("someone@example.com")
        .identity_stream_provider_type(StreamProviderType::Commbox)
        .unix_start_time(1_700_000_000)
        .unix_end_time(1_800_000_000)
        .sub_stream(3)
        .sort(SortDirection::Desc)
        .order(ObjectOrder::CreatedTime)
        .include_childs(true)
        .include_activity_log(true)
        .time_filter("today")
        .page_number(0)
        .page_size(50)
        .status(vec![ObjectStatus::Open, ObjectStatus::Resolved])
        .stream_provider_id("someone@example.com")
        .stream_provider_type(StreamProviderType::Commbox)
        .await?;
    let _: Envelope<Vec<StreamStatusCount>> = client.streams().get_stats().await?;
    let _: Envelope<Vec<SlaBreachSummary>> = client.streams().get_sla_breaches().send().await?;
    Ok(())
}

fn main() {
    // Compiling is the test: the calls are never made.
    let _ = calls;
}
