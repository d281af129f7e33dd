//! Tags, Sms and WhatsApp: every operation, called with its required
//! arguments in spec order, every optional parameter set, and the response
//! bound to the type the spec gives it.

#![deny(warnings)]

use cirrus_client::types::{
    ContactValidation, EmarsysHeaderType, ObjectStatus, StringId, Tag, TagGroup, UploadedMedia,
    WhatsAppLanguage, WhatsAppLocalizableParam, WhatsAppSendResult, WhatsAppTemplate,
    WhatsAppTemplateCategory, WhatsAppTemplateData, WhatsAppTemplateMessage,
};
use cirrus_client::{Client, Envelope, Error, FilePart};
use serde_json::Value;

async fn calls(client: &Client) -> Result<(), Error> {
    // Tags: ids are int64 throughout.
    let _: Envelope<String> = client.tags().add_to_object(1, 7, 3).await?;
    let _: Envelope<String> = client.tags().remove_from_object(1, 7, 3).send().await?;
    let _: Envelope<Vec<Tag>> = client.tags().list().await?;
    let _: Envelope<StringId> = client
        .tags()
        .create()
        .name("VIP")
        .tag_group_id(2)
        .object_tag(true)
        .user_tag(false)
        .child_tag(false)
        .await?;
    // `Tag Group Id` is the wire name; the spec gives it a `rust_name`.
    let _: Envelope<StringId> = client
        .tags()
        .update(3)
        .name("VIP customer")
        .tag_group_id(2)
        .await?;
    let _: Envelope<StringId> = client.tags().delete(3).await?;
    let _: Envelope<Vec<TagGroup>> = client.tags().list_groups().await?;
    let _: Envelope<StringId> = client.tags().create_group().name("Sales").await?;
    let _: Envelope<StringId> = client.tags().update_group(2).name("Support").await?;
    let _: Envelope<StringId> = client.tags().delete_group(2).await?;

    // Sms: the operation called `Send` returns a request that also has
    // `send()`.
    let _: Envelope<String> = client
        .sms()
        .send_initial_text("hNyRN_fLUy7rrOrN9jLpipA==", 972_500_000_000)
        .await?;
    let _: Envelope<String> = client
        .sms()
        .send("hNyRN_fLUy7rrOrN9jLpipA==")
        .number("972500000000")
        .message("Your code is 1234")
        .send()
        .await?;

    // WhatsApp
    let message = WhatsAppTemplateMessage {
        schedule: None,
        template_data: WhatsAppTemplateData {
            to: "972500000000".to_owned(),
            template: WhatsAppTemplate {
                name: "welcome".to_owned(),
                language: WhatsAppLanguage {
                    code: Some("en".to_owned()),
                },
                components: None,
            },
        },
        object_data: None,
    };
    let _: Envelope<Vec<WhatsAppSendResult>> = client
        .whats_app()
        .send_template("enc==", vec![message])
        .await?;
    let _: Envelope<Vec<UploadedMedia>> = client
        .whats_app()
        .upload_media(
            "enc==",
            FilePart::new("logo.png", vec![0x89, b'P', b'N', b'G']),
        )
        .await?;
    let _: Envelope<ContactValidation> = client
        .whats_app()
        .validate_contact("enc==", 972_500_000_000)
        .await?;
    let _: Envelope<Vec<WhatsAppSendResult>> = client
        .whats_app()
        .send_emarsys_template("enc==", "972500000000", "welcome", "en")
        .schedule(1_700_000_000)
        .header_type(EmarsysHeaderType::Image)
        .header_value("https://example.com/a.png")
        .header_filename("a.png")
        .body_1_value("one")
        .body_2_value("two")
        .body_3_value("three")
        .button_value("go")
        .object_substream_id(3)
        .object_status_id(ObjectStatus::Open)
        .object_content("content")
        .object_user_unique_id("u-1")
        .object_user_last_name("Lovelace")
        .object_user_first_name("Ada")
        .object_user_phone1("972500000000")
        .object_user_email("ada@example.com")
        .object_user_remarks("none")
        .await?;
    let _: Envelope<String> = client
        .whats_app()
        .send_campaign()
        .audience_file(FilePart::new("audience.csv", "phone\n972500000000\n").mime("text/csv"))
        .notify_mail("ops@example.com")
        .scheduled_date(1_700_000_000)
        .expiration_data(1_800_000_000)
        .save_as_new_audience(true)
        .template_name("welcome")
        .language_code("en")
        .campaign_name("Spring")
        .audience_id("a-1")
        .stream_id("s-1")
        .substream_id("ss-1")
        .automation_script_id("as-1")
        .new_audience_name("Spring audience")
        .await?;
    let _: Envelope<Vec<Value>> = client
        .whats_app()
        .list_templates("enc==")
        .language(vec!["en".to_owned(), "he".to_owned()])
        .category(vec![WhatsAppTemplateCategory::Marketing])
        .limit(20)
        .offset(40)
        .await?;
    #[allow(deprecated)]
    let _: Envelope<String> = client
        .whats_app()
        .send_template_v1("enc==")
        .recipient("972500000000")
        .template_name("welcome")
        .language(WhatsAppLanguage {
            code: Some("en".to_owned()),
        })
        .localizable_params(vec![WhatsAppLocalizableParam {
            default: Some("Ada".to_owned()),
        }])
        .validate(true)
        .await?;
    Ok(())
}

fn main() {
    // Compiling is the test: the calls are never made.
    let _ = calls;
}
