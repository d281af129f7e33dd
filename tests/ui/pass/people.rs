//! Users, Managers, Profiles, Presence, Assignments and Teams: every
//! operation, called with its required arguments in spec order, every
//! optional parameter set, and the response bound to the type the spec
//! gives it.

#![deny(warnings)]

use cirrus_client::types::{
    AssignmentCount, CreatedId, Customer, Manager, ManagerPresence, ManagerStats, ManagerSummary,
    ModuleType, ObjectOrder, ObjectStatus, PermissionType, PresenceStatus, Profile, StreamObject,
    StreamProviderType, Team, UpdatedUser, UserObjectsPage,
};
use cirrus_client::{Client, Envelope, Error};
use serde_json::json;

async fn calls(client: &Client) -> Result<(), Error> {
    // Users
    let _: Envelope<Customer> = client
        .users()
        .get(5)
        .stream_provider_id("someone@example.com")
        .stream_provider_type(StreamProviderType::Commbox)
        .await?;
    let _: Envelope<UpdatedUser> = client
        .users()
        .update(5)
        .unique_id("u-1")
        .first_name("Ada")
        .last_name("Lovelace")
        .email("ada@example.com")
        .phone1("972500000000")
        .phone2("972500000001")
        .remarks("VIP")
        .content(json!({"tier": "gold"}))
        .await?;
    let _: Envelope<Vec<StreamObject>> = client
        .users()
        .get_objects(5)
        .stream_provider_id("someone@example.com")
        .stream_provider_type(StreamProviderType::Commbox)
        .stream(1)
        .sub_stream(2)
        .page_number(0)
        .page_size(25)
        .status(vec![ObjectStatus::Open])
        .order(ObjectOrder::CreatedTime)
        .object_id(7)
        .module_id(ModuleType::General)
        .include_childs(true)
        .include_activity_log(false)
        .await?;
    let _: Envelope<UserObjectsPage> = client.users().get_objects_v2(5).await?;
    #[allow(deprecated)]
    let _: Envelope<Customer> = client
        .users()
        .get_by_address("someone@example.com", StreamProviderType::Commbox)
        .await?;
    #[allow(deprecated)]
    let _: Envelope<Vec<StreamObject>> = client
        .users()
        .get_objects_legacy(5)
        .stream_provider_id("someone@example.com")
        .stream_provider_type(StreamProviderType::Commbox)
        .stream(1)
        .sub_stream(2)
        .page_number(1)
        .page_size(25)
        .status(Vec::new())
        .order(ObjectOrder::CreatedTime)
        .object_id(7)
        .module_id(ModuleType::General)
        .include_childs(false)
        .include_activity_log(true)
        .send()
        .await?;

    // Managers
    let _: Envelope<ManagerStats> = client.managers().get_stats(9).await?;
    let _: Envelope<Manager> = client.managers().get(9).await?;
    let _: Envelope<CreatedId> = client
        .managers()
        .update(9)
        .first_name("Grace")
        .last_name("Hopper")
        .email("grace@example.com")
        .is_admin(false)
        .password("correct horse")
        .user_name("grace")
        .team_id(4)
        .permission_id(PermissionType::Agent)
        .await?;
    let _: Envelope<CreatedId> = client.managers().delete(9).await?;
    let _: Envelope<Vec<Manager>> = client.managers().list().await?;
    let _: Envelope<CreatedId> = client
        .managers()
        .create(
            "Grace",
            "Hopper",
            "grace@example.com",
            true,
            "correct horse",
        )
        .user_name("grace")
        .team_id(4)
        .permission_id(PermissionType::Admin)
        .await?;

    // Profiles
    let _: Envelope<Vec<ManagerSummary>> = client.profiles().get_managers(3).await?;
    let _: Envelope<Vec<Profile>> = client.profiles().list().await?;
    let _: Envelope<String> = client.profiles().remove_all_from_manager(9).await?;
    let _: Envelope<Vec<Profile>> = client
        .profiles()
        .add_to_manager(9)
        .add(vec![1, 2])
        .set(vec![3])
        .await?;
    let _: Envelope<String> = client.profiles().remove_from_manager(9, 3).await?;

    // Presence
    let _: Envelope<ManagerPresence> = client.presence().get(9).await?;
    let _: Envelope<ManagerPresence> = client.presence().set(9, 2).await?;
    let _: Envelope<Vec<PresenceStatus>> = client.presence().list_types().await?;

    // Assignments
    let _: Envelope<Vec<AssignmentCount>> = client.assignments().get(9).await?;
    let _: Envelope<String> = client.assignments().assign(9, 7).await?;
    let _: Envelope<String> = client.assignments().unassign(9, 7).send().await?;

    // Teams
    let _: Envelope<Vec<ManagerSummary>> = client.teams().get_members(4).await?;
    let _: Envelope<String> = client.teams().update(4).await?;
    let _: Envelope<String> = client.teams().delete(4).await?;
    let _: Envelope<Vec<Team>> = client.teams().list().name("Support").await?;
    let _: Envelope<CreatedId> = client.teams().create("Support").await?;
    Ok(())
}

fn main() {
    // Compiling is the test: the calls are never made.
    let _ = calls;
}
