//! The sandbox's memory: conversations with their messages, tags, status,
//! content and activity log; customers and their channel identities; agents.
//! The operations of the conversation flow read and change it; every other
//! operation answers its example.

use crate::params::Args;
use crate::respond::api_time;
use chrono::{DateTime, TimeZone, Utc};
use cirrus_spec::{EnumCode, Method, Spec, TypeKind};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The id of every record the sandbox starts with: conversation 1 in
/// stream 1 (with message 1), customer 1 (identities 1 and 2) and agent 1.
pub const SEED_ID: i64 = 1;

/// Where new ids start; one counter serves every kind of record, so an id
/// of one kind is never mistaken for another.
const FIRST_NEW_ID: i64 = 101;
/// The numeric id given to the first stream named by a non-numeric
/// (encrypted) id.
const FIRST_STREAM_NUMBER: i64 = 1402;

/// What a stateful operation answers.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// 200, with this `data` in the envelope.
    Data(Value),
    /// 200, with this whole body (operations without an envelope).
    Bare(Value),
    /// 404, with this description.
    NotFound(String),
    /// 400, with this description.
    BadRequest(String),
}

/// A stateful operation.
pub(crate) type Handler = fn(&mut Store, &Spec, &Args) -> Outcome;

/// The operations served from state, with the method each must have; an
/// operation of the same name with another method answers its example.
const HANDLERS: &[(&str, &str, Method, Handler)] = &[
    ("Objects", "Create", Method::Post, objects_create),
    ("Objects", "CreateChild", Method::Post, objects_create_child),
    ("Objects", "Get", Method::Get, objects_get),
    (
        "Objects",
        "GetActivities",
        Method::Get,
        objects_get_activities,
    ),
    (
        "Objects",
        "GetTranscript",
        Method::Get,
        objects_get_transcript,
    ),
    ("Objects", "SetStatus", Method::Post, objects_set_status),
    (
        "Objects",
        "UpdateStream",
        Method::Patch,
        objects_update_stream,
    ),
    ("Objects", "SetContent", Method::Post, objects_set_content),
    (
        "Objects",
        "AddActivityLog",
        Method::Post,
        objects_add_activity_log,
    ),
    ("Objects", "AddRemark", Method::Post, objects_add_remark),
    (
        "Objects",
        "SetIndicator",
        Method::Post,
        objects_set_indicator,
    ),
    (
        "Objects",
        "GetIndicators",
        Method::Get,
        objects_get_indicators,
    ),
    (
        "Objects",
        "DeleteIndicator",
        Method::Delete,
        objects_delete_indicator,
    ),
    ("Tags", "AddToObject", Method::Post, tags_add_to_object),
    (
        "Tags",
        "RemoveFromObject",
        Method::Delete,
        tags_remove_from_object,
    ),
    ("Streams", "GetObjects", Method::Get, streams_get_objects),
    ("Users", "Get", Method::Get, users_get),
    ("Users", "Update", Method::Post, users_update),
    ("Users", "GetObjects", Method::Get, users_get_objects),
    ("Users", "GetObjectsV2", Method::Get, users_get_objects_v2),
    ("Users", "GetByAddress", Method::Get, users_get_by_address),
    (
        "Users",
        "GetObjectsLegacy",
        Method::Get,
        users_get_objects_legacy,
    ),
    ("Managers", "Get", Method::Get, managers_get),
    ("Managers", "Update", Method::Post, managers_update),
    ("Managers", "Delete", Method::Delete, managers_delete),
    ("Managers", "List", Method::Get, managers_list),
    ("Managers", "Create", Method::Post, managers_create),
];

/// The handler for an operation, if it is served from state.
pub(crate) fn handler_for(module: &str, name: &str, method: Method) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(m, n, verb, _)| *m == module && *n == name && *verb == method)
        .map(|(_, _, _, handler)| *handler)
}

/// The operations served from state, as `Module.Operation`.
pub fn stateful_operations() -> impl Iterator<Item = String> {
    HANDLERS.iter().map(|(m, n, _, _)| format!("{m}.{n}"))
}

#[derive(Debug, Clone)]
struct Conversation {
    id: i64,
    stream: i64,
    sub_stream: i64,
    kind: i64,
    status: i64,
    channel_address: String,
    channel_type: i64,
    customer: i64,
    identity: i64,
    manager: Option<i64>,
    opened_by_agent: bool,
    content: Map<String, Value>,
    message: String,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
    first_response: Option<DateTime<Utc>>,
    last_response: Option<DateTime<Utc>>,
    messages: Vec<Message>,
    tags: Vec<i64>,
    activities: Vec<Entry>,
    indicators: Map<String, Value>,
}

#[derive(Debug, Clone)]
struct Message {
    id: i64,
    text: String,
    /// The agent who wrote it; `None` for the customer.
    agent: Option<i64>,
    created: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: i64,
    text: String,
    agent: Option<i64>,
    created: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
struct Customer {
    id: i64,
    first_name: String,
    last_name: String,
    unique_id: String,
    email: String,
    phone1: String,
    phone2: String,
    remarks: String,
    content: Map<String, Value>,
    identities: Vec<Identity>,
}

#[derive(Debug, Clone)]
struct Identity {
    id: i64,
    address: String,
    kind: i64,
}

#[derive(Debug, Clone, Default)]
struct Agent {
    id: i64,
    first_name: String,
    last_name: String,
    email: String,
    user_name: String,
    team_id: Option<i64>,
    permission: i64,
    identity_id: i64,
}

/// Everything the sandbox remembers.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    next_id: i64,
    next_stream: i64,
    stream_aliases: Vec<(String, i64)>,
    conversations: BTreeMap<i64, Conversation>,
    customers: BTreeMap<i64, Customer>,
    agents: BTreeMap<i64, Agent>,
}

fn at(seconds: i64, millis: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, millis * 1_000_000)
        .single()
        .unwrap_or_default()
}

impl Store {
    /// A store with nothing in it.
    pub(crate) fn empty() -> Store {
        Store {
            next_id: FIRST_NEW_ID,
            next_stream: FIRST_STREAM_NUMBER,
            stream_aliases: Vec::new(),
            conversations: BTreeMap::new(),
            customers: BTreeMap::new(),
            agents: BTreeMap::new(),
        }
    }

    /// The records the sandbox starts with, all with id [`SEED_ID`].
    pub(crate) fn seeded() -> Store {
        let mut store = Store::empty();
        let id = SEED_ID;
        store.agents.insert(
            id,
            Agent {
                id,
                first_name: "Dana".into(),
                last_name: "Levi".into(),
                email: "dana.levi@shop.example.com".into(),
                user_name: "dana.levi".into(),
                team_id: Some(4),
                permission: 2,
                identity_id: 70211,
            },
        );
        store.customers.insert(
            id,
            Customer {
                id,
                first_name: "Sam".into(),
                last_name: "Jones".into(),
                unique_id: "302145567".into(),
                email: "sam.jones@example.com".into(),
                phone1: "447700900123".into(),
                identities: vec![
                    Identity {
                        id,
                        address: "sam.jones@example.com".into(),
                        kind: 4,
                    },
                    // The platform's own (Commbox, type 0) address of the
                    // customer is its id.
                    Identity {
                        id: id + 1,
                        address: id.to_string(),
                        kind: 0,
                    },
                ],
                ..Customer::default()
            },
        );
        // 2024-08-05 13:20:11.493 UTC, as in the API's examples.
        let opened = at(1_722_864_011, 493);
        let mut content = Map::new();
        content.insert("subject".into(), json!("Order 55120 not delivered"));
        store.conversations.insert(
            id,
            Conversation {
                id,
                stream: id,
                sub_stream: 0,
                kind: 5,
                status: 1,
                channel_address: "support@shop.example.com".into(),
                channel_type: 4,
                customer: id,
                identity: id,
                manager: Some(id),
                opened_by_agent: false,
                content,
                message: "Hello, my order has not arrived yet.".into(),
                created: opened,
                updated: opened,
                closed: None,
                first_response: None,
                last_response: None,
                messages: vec![Message {
                    id,
                    text: "Hello, my order has not arrived yet.".into(),
                    agent: None,
                    created: opened,
                }],
                tags: Vec::new(),
                activities: Vec::new(),
                indicators: Map::new(),
            },
        );
        store
    }

    fn new_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The numeric id of a stream named by its numeric or encrypted id,
    /// giving an encrypted id a number the first time.
    fn stream_number(&mut self, key: &str) -> i64 {
        if let Some(number) = self.known_stream(key) {
            return number;
        }
        let number = self.next_stream;
        self.next_stream += 1;
        self.stream_aliases.push((key.to_owned(), number));
        number
    }

    /// The numeric id of a stream, if the key is numeric or already known.
    fn known_stream(&self, key: &str) -> Option<i64> {
        if let Ok(number) = key.trim().parse::<i64>() {
            return Some(number);
        }
        self.stream_aliases
            .iter()
            .find(|(alias, _)| alias == key)
            .map(|(_, number)| *number)
    }

    /// The conversation `id` if it is in the stream named `stream`.
    fn conversation_in(&self, stream: &str, id: i64) -> Result<&Conversation, Outcome> {
        match self.conversations.get(&id) {
            Some(c) if self.known_stream(stream) == Some(c.stream) => Ok(c),
            Some(_) => Err(Outcome::NotFound(format!(
                "Conversation {id} is not in stream {stream}"
            ))),
            None => Err(no_conversation(id)),
        }
    }

    fn conversation_mut(&mut self, id: i64) -> Result<&mut Conversation, Outcome> {
        self.conversations
            .get_mut(&id)
            .ok_or_else(|| no_conversation(id))
    }

    fn identity_owner(&self, identity: i64) -> Option<(i64, &Identity)> {
        self.customers.values().find_map(|c| {
            c.identities
                .iter()
                .find(|i| i.id == identity)
                .map(|i| (c.id, i))
        })
    }

    fn find_by_address(&self, address: &str, kind: i64) -> Option<(i64, i64)> {
        self.customers.values().find_map(|c| {
            c.identities
                .iter()
                .find(|i| i.kind == kind && i.address.eq_ignore_ascii_case(address))
                .map(|i| (c.id, i.id))
        })
    }

    /// The customer and identity a new conversation belongs to: the given
    /// identity, the owner of the given address, or a new customer.
    fn customer_for(&mut self, args: &Args) -> (i64, i64) {
        if let Some(identity) = args.int("UserIdentity")
            && let Some((customer, _)) = self.identity_owner(identity)
        {
            return (customer, identity);
        }
        let kind = args.int("UserStreamProviderType").unwrap_or(4);
        let address = args.text("UserStreamProviderId");
        if let Some(address) = &address
            && let Some(found) = self.find_by_address(address, kind)
        {
            return found;
        }
        let customer = self.new_id();
        let identity = self.new_id();
        let (address, kind) = match address {
            Some(address) => (address, kind),
            None => (format!("visitor-{identity}"), 6),
        };
        let mut record = Customer {
            id: customer,
            identities: vec![Identity {
                id: identity,
                address: address.clone(),
                kind,
            }],
            ..Customer::default()
        };
        match kind {
            4 => record.email = address,
            5 | 7 => record.phone1 = address,
            _ => {}
        }
        self.customers.insert(customer, record);
        (customer, identity)
    }

    fn agent_names(&self, agent: Option<i64>) -> (String, String) {
        agent
            .and_then(|id| self.agents.get(&id))
            .map(|a| (a.first_name.clone(), a.last_name.clone()))
            .unwrap_or_default()
    }

    fn customer_json(&self, c: &Customer) -> Value {
        let count = |identity: i64| {
            self.conversations
                .values()
                .filter(|o| o.identity == identity)
                .count()
        };
        let identities: Vec<Value> = c
            .identities
            .iter()
            .map(|i| {
                json!({
                    "id": i.id,
                    "userId": c.id,
                    "numObjects": count(i.id),
                    "userName": "",
                    "streamProviderEmail": if i.kind == 4 { i.address.as_str() } else { "" },
                    "streamProviderId": i.address,
                    "streamProviderType": i.kind,
                    "firstName": c.first_name,
                    "lastName": c.last_name,
                    "thumbnailUrl": "",
                    "content": "{}",
                })
            })
            .collect();
        let objects: usize = c.identities.iter().map(|i| count(i.id)).sum();
        json!({
            "id": c.id,
            "firstName": c.first_name,
            "lastName": c.last_name,
            "phone1": c.phone1,
            "phone2": c.phone2,
            "uniqueId": c.unique_id,
            "email": c.email,
            "content": Value::Object(c.content.clone()).to_string(),
            "permissionId": 1,
            "numIdentities": c.identities.len(),
            "numObjects": objects,
            "remarks": c.remarks,
            "identities": identities,
        })
    }

    fn agent_json(a: &Agent) -> Value {
        json!({
            "id": a.id,
            "content": "{}",
            "identityId": a.identity_id,
            "streamProviderId": a.email,
            "thumbnailUrl": "",
            "permissionId": a.permission,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "email": a.email,
            "userName": a.user_name,
            "teamId": a.team_id,
        })
    }

    fn message_json(&self, c: &Conversation, m: &Message) -> Value {
        let customer = self.customers.get(&c.customer);
        let identity = self.identity_owner(c.identity).map(|(_, i)| i);
        let (address, kind) = identity.map_or((String::new(), 0), |i| (i.address.clone(), i.kind));
        let user = match m.agent {
            Some(agent_id) => {
                let agent = self.agents.get(&agent_id);
                let (first, last) = self.agent_names(Some(agent_id));
                json!({
                    "id": agent_id,
                    "managerId": agent_id,
                    "isManager": true,
                    "identity": {
                        "id": agent.map_or(agent_id, |a| a.identity_id),
                        "streamProviderId": agent.map(|a| a.email.clone()).unwrap_or_default(),
                        "streamProviderType": 4,
                        "firstName": first,
                        "lastName": last,
                        "thumbnailUrl": "",
                    },
                })
            }
            None => json!({
                "id": c.customer,
                "managerId": null,
                "isManager": false,
                "identity": {
                    "id": c.identity,
                    "streamProviderId": address,
                    "streamProviderType": kind,
                    "firstName": customer.map(|u| u.first_name.clone()).unwrap_or_default(),
                    "lastName": customer.map(|u| u.last_name.clone()).unwrap_or_default(),
                    "thumbnailUrl": "",
                },
            }),
        };
        let (first, last) = match m.agent {
            Some(agent) => self.agent_names(Some(agent)),
            None => customer
                .map(|u| (u.first_name.clone(), u.last_name.clone()))
                .unwrap_or_default(),
        };
        json!({
            "id": m.id,
            "objectId": c.id,
            "content": "{}",
            "message": m.text,
            "createdTime": api_time(m.created),
            "streamProviderId": user["identity"]["streamProviderId"].clone(),
            "streamProviderType": user["identity"]["streamProviderType"].clone(),
            "firstName": first,
            "lastName": last,
            "user": user,
        })
    }

    fn activity_json(&self, c: &Conversation, e: &Entry) -> Value {
        let (first, last) = self.agent_names(e.agent);
        json!({
            "objectId": c.id.to_string(),
            "user": {
                "id": e.agent.unwrap_or(0),
                "first_name": first,
                "last_name": last,
            },
            "type": e.kind,
            "data": e.text,
            "createdTime": api_time(e.created),
        })
    }

    /// A conversation as the API lists it (`detail`: as Get Object spells
    /// some keys).
    fn conversation_json(&self, c: &Conversation, detail: bool, childs: bool, log: bool) -> Value {
        let customer = self.customers.get(&c.customer);
        let identity = self.identity_owner(c.identity).map(|(_, i)| i);
        let last_message = c
            .messages
            .last()
            .map_or(c.message.clone(), |m| m.text.clone());
        let time = |t: Option<DateTime<Utc>>| t.map_or(Value::Null, |t| Value::from(api_time(t)));
        let mut object = json!({
            "objectId": c.id,
            "streamProviderId": c.channel_address,
            "streamProviderType": c.channel_type,
            "user_identity": c.identity,
            "firstName": customer.map(|u| u.first_name.clone()).unwrap_or_default(),
            "lastName": customer.map(|u| u.last_name.clone()).unwrap_or_default(),
            "userStreamProviderId": identity.map(|i| i.address.clone()).unwrap_or_default(),
            "userStreamProviderType": identity.map_or(0, |i| i.kind),
            "content": Value::Object(c.content.clone()).to_string(),
            "message": last_message,
            "createdTime": api_time(c.created),
            "updatedTime": api_time(c.updated),
            "firstResponseTime": time(c.first_response),
            "lastResponseTime": time(c.last_response),
            "priorityTime": api_time(c.created),
            "statusId": c.status,
            "assignedManagerId": c.manager,
            "type": c.kind,
            "numTags": c.tags.len(),
            "numChilds": c.messages.len(),
            "isManager": c.opened_by_agent,
            "user": {
                "id": c.customer,
                "uniqueId": customer.map(|u| u.unique_id.clone()).unwrap_or_default(),
                "phone1": customer.map(|u| u.phone1.clone()).unwrap_or_default(),
                "phone2": customer.map(|u| u.phone2.clone()).unwrap_or_default(),
                "email": customer.map(|u| u.email.clone()).unwrap_or_default(),
                "firstName": customer.map(|u| u.first_name.clone()).unwrap_or_default(),
                "lastName": customer.map(|u| u.last_name.clone()).unwrap_or_default(),
                "numberIdentities": customer.map_or(0, |u| u.identities.len()),
                "remarks": customer.map(|u| u.remarks.clone()).unwrap_or_default(),
                "content": customer.map_or_else(|| "{}".to_owned(), |u| Value::Object(u.content.clone()).to_string()),
            },
        });
        if let Value::Object(map) = &mut object {
            let (stream, sub_stream, closed) = if detail {
                ("streamid", "substreamid", "closeTime")
            } else {
                ("streamId", "subStreamId", "closedTime")
            };
            map.insert(stream.into(), c.stream.into());
            map.insert(sub_stream.into(), c.sub_stream.into());
            map.insert(closed.into(), time(c.closed));
            if childs {
                let messages = c.messages.iter().map(|m| self.message_json(c, m)).collect();
                map.insert("childs".into(), Value::Array(messages));
            }
            if log {
                // Not in the spec's type: the typed client ignores it; the
                // same entries come typed from Objects.GetActivities.
                let entries = c
                    .activities
                    .iter()
                    .map(|e| self.activity_json(c, e))
                    .collect();
                map.insert("activityLog".into(), Value::Array(entries));
            }
        }
        object
    }

    /// Conversations by the list filters, sorted and paged.
    fn list(&self, filter: &ListFilter, args: &Args) -> Result<Vec<Value>, Outcome> {
        let statuses = args.ints("status");
        let page = args.int("pageNumber").unwrap_or(0);
        let size = args.int("pageSize").unwrap_or(100);
        if page < 0 {
            return Err(Outcome::BadRequest(format!(
                "Invalid parameter pageNumber (query): {page} is below 0 (pages count from 0)"
            )));
        }
        if !(1..=1000).contains(&size) {
            return Err(Outcome::BadRequest(format!(
                "Invalid parameter pageSize (query): {size} is not between 1 and 1000"
            )));
        }
        let start = args.int("unixStartTime");
        let end = args.int("unixEndTime");
        let sub_stream = args.int("subStream");
        let object_id = args.int("objectId").filter(|id| *id != 0);
        let mut found: Vec<&Conversation> = self
            .conversations
            .values()
            .filter(|c| filter.stream.is_none_or(|s| c.stream == s))
            .filter(|c| filter.identities.is_empty() || filter.identities.contains(&c.identity))
            .filter(|c| statuses.is_empty() || statuses.contains(&c.status))
            .filter(|c| sub_stream.is_none_or(|s| c.sub_stream == s))
            .filter(|c| object_id.is_none_or(|id| c.id == id))
            .filter(|c| start.is_none_or(|t| c.created.timestamp() >= t))
            .filter(|c| end.is_none_or(|t| c.created.timestamp() <= t))
            .collect();
        let order = args
            .text("order")
            .unwrap_or_else(|| filter.default_order.to_owned())
            .to_ascii_lowercase();
        let key = |c: &Conversation| match order.as_str() {
            "closedtime" => c.closed.unwrap_or(DateTime::<Utc>::MIN_UTC),
            "updatedtime" => c.updated,
            _ => c.created,
        };
        found.sort_by(|a, b| key(a).cmp(&key(b)).then(a.id.cmp(&b.id)));
        let ascending = args
            .text("sort")
            .is_some_and(|s| s.eq_ignore_ascii_case("asc"));
        if !ascending {
            found.reverse();
        }
        let childs = args.flag("includeChilds").unwrap_or(filter.childs_default);
        let log = args.flag("includeActivityLog").unwrap_or(false);
        let skip = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        Ok(found
            .into_iter()
            .skip(skip)
            .take(size as usize)
            .map(|c| self.conversation_json(c, false, childs, log))
            .collect())
    }

    /// The conversations of one identity, by its id.
    fn identity_list(&self, identity: Option<i64>, args: &Args) -> Outcome {
        let Some(identity) = identity else {
            return Outcome::BadRequest("Missing required parameter userIdentityId".into());
        };
        if self.identity_owner(identity).is_none() {
            return Outcome::NotFound(format!("User identity {identity} does not exist"));
        }
        let filter = ListFilter {
            stream: args.int("stream").filter(|s| *s != 0),
            identities: vec![identity],
            default_order: "closedtime",
            childs_default: true,
        };
        match self.list(&filter, args) {
            Ok(items) => Outcome::Data(Value::Array(items)),
            Err(outcome) => outcome,
        }
    }
}

/// Which conversations a list call asks for, beyond the common filters.
struct ListFilter {
    stream: Option<i64>,
    identities: Vec<i64>,
    default_order: &'static str,
    childs_default: bool,
}

fn no_conversation(id: i64) -> Outcome {
    Outcome::NotFound(format!("Conversation {id} does not exist"))
}

fn required_int(args: &Args, name: &str) -> Result<i64, Outcome> {
    args.int(name)
        .ok_or_else(|| Outcome::BadRequest(format!("Missing required parameter {name}")))
}

/// The name of an enumeration's code in the spec (`2` → `Resolved`).
fn enum_name(spec: &Spec, type_name: &str, code: i64) -> String {
    let name = spec.type_named(type_name).and_then(|t| match &t.kind {
        TypeKind::Enum(def) => def
            .values
            .iter()
            .find(|v| v.code == EnumCode::Integer(code))
            .map(|v| v.name.clone()),
        TypeKind::Object(_) => None,
    });
    name.unwrap_or_else(|| code.to_string())
}

/// A JSON object of properties: an object, or JSON text holding one.
fn properties(value: Option<&Value>) -> Option<Map<String, Value>> {
    match value? {
        Value::Object(map) => Some(map.clone()),
        Value::String(text) => match serde_json::from_str(text) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        },
        _ => None,
    }
}

macro_rules! attempt {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(outcome) => return outcome,
        }
    };
}

fn ok_empty() -> Outcome {
    Outcome::Data(Value::String(String::new()))
}

fn objects_create(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let stream_key = args.text("STREAM_ID").unwrap_or_default();
    let stream = store.stream_number(&stream_key);
    let id = store.new_id();
    let (customer, identity) = store.customer_for(args);
    if let Some(Value::Object(info)) = args.get("User")
        && let Some(record) = store.customers.get_mut(&customer)
    {
        let field = |key: &str| info.get(key).and_then(Value::as_str).map(str::to_owned);
        if let Some(v) = field("FirstName") {
            record.first_name = v;
        }
        if let Some(v) = field("LastName") {
            record.last_name = v;
        }
        if let Some(v) = field("UniqueId") {
            record.unique_id = v;
        }
        if let Some(v) = field("Phone1") {
            record.phone1 = v;
        }
        if let Some(v) = field("Email") {
            record.email = v;
        }
        if let Some(v) = field("Remarks") {
            record.remarks = v;
        }
    }
    let now = Utc::now();
    let message = args.text("Message").unwrap_or_default();
    let mut conversation = Conversation {
        id,
        stream,
        sub_stream: args.int("SubStreamId").unwrap_or(0),
        kind: args.int("Type").unwrap_or(4),
        status: args.int("StatusId").unwrap_or(1),
        channel_address: args.text("StreamProviderId").unwrap_or_default(),
        channel_type: args.int("StreamProviderType").unwrap_or(0),
        customer,
        identity,
        manager: args.int("ManagerId"),
        opened_by_agent: false,
        content: properties(args.get("Content")).unwrap_or_default(),
        message: message.clone(),
        created: now,
        updated: now,
        closed: None,
        first_response: None,
        last_response: None,
        messages: Vec::new(),
        tags: Vec::new(),
        activities: Vec::new(),
        indicators: Map::new(),
    };
    if args.flag("createChildObject").unwrap_or(false) {
        let child = store.new_id();
        conversation.messages.push(Message {
            id: child,
            text: message,
            agent: None,
            created: now,
        });
    }
    store.conversations.insert(id, conversation);
    Outcome::Data(json!({ "id": id }))
}

fn objects_create_child(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let stream = args.text("STREAM_ID").unwrap_or_default();
    attempt!(store.conversation_in(&stream, object));
    let id = store.new_id();
    let conversation = attempt!(store.conversation_mut(object));
    let now = Utc::now();
    let agent = if args.flag("IsManager").unwrap_or(false) {
        Some(
            args.int("UserIdentity")
                .or(conversation.manager)
                .unwrap_or(0),
        )
    } else {
        None
    };
    if agent.is_some() {
        conversation.first_response.get_or_insert(now);
        conversation.last_response = Some(now);
    }
    conversation.messages.push(Message {
        id,
        text: args.text("Message").unwrap_or_default(),
        agent,
        created: now,
    });
    conversation.updated = now;
    Outcome::Data(json!({ "id": id }))
}

fn objects_get(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let stream = args.text("STREAM_ID").unwrap_or_default();
    let conversation = attempt!(store.conversation_in(&stream, object));
    let childs = args.flag("includeChilds").unwrap_or(false);
    let log = args.flag("includeActivityLog").unwrap_or(false);
    Outcome::Data(json!([store.conversation_json(
        conversation,
        true,
        childs,
        log
    )]))
}

fn objects_get_activities(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let Some(conversation) = store.conversations.get(&object) else {
        return no_conversation(object);
    };
    let kind = args.int("activityType");
    let entries = conversation
        .activities
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .map(|e| store.activity_json(conversation, e))
        .collect();
    Outcome::Data(Value::Array(entries))
}

fn objects_get_transcript(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let stream = args.text("STREAM_ID").unwrap_or_default();
    let c = attempt!(store.conversation_in(&stream, object));
    let customer = store.customers.get(&c.customer);
    let customer_name = customer
        .map(|u| {
            format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_owned()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Customer".to_owned());
    let mut text = String::new();
    for m in &c.messages {
        let author = match m.agent {
            Some(agent) => {
                let (first, last) = store.agent_names(Some(agent));
                let name = format!("{first} {last}").trim().to_owned();
                if name.is_empty() {
                    "Agent".to_owned()
                } else {
                    name
                }
            }
            None => customer_name.clone(),
        };
        text.push_str(&format!(
            "[{}] {author}: {}\n",
            m.created.format("%d/%m/%Y %H:%M"),
            m.text
        ));
    }
    text.push_str(&format!("conversation {}", c.id));
    let mut user = store.conversation_json(c, true, false, false)["user"].clone();
    if let Value::Object(map) = &mut user {
        map.remove("content");
    }
    Outcome::Data(json!([{
        "objectId": c.id,
        "streamid": c.stream,
        "substreamid": c.sub_stream,
        "trasncript": text,
        "user": user,
    }]))
}

fn add_entry(conversation: &mut Conversation, kind: i64, text: String, agent: Option<i64>) {
    let now = Utc::now();
    conversation.activities.push(Entry {
        kind,
        text,
        agent,
        created: now,
    });
    conversation.updated = now;
}

fn objects_set_status(store: &mut Store, spec: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let status = attempt!(required_int(args, "STATUS_ID"));
    let conversation = attempt!(store.conversation_mut(object));
    let before = conversation.status;
    conversation.status = status;
    let now = Utc::now();
    // Resolved (2) closes a conversation; any other status reopens it.
    conversation.closed = (status == 2).then_some(now);
    let text = format!(
        "Status changed from {} to {}",
        enum_name(spec, "ObjectStatus", before),
        enum_name(spec, "ObjectStatus", status)
    );
    add_entry(conversation, 2, text, None);
    ok_empty()
}

fn objects_update_stream(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let stream = attempt!(required_int(args, "streamId"));
    let conversation = attempt!(store.conversation_mut(object));
    let from = conversation.stream;
    conversation.stream = stream;
    conversation.sub_stream = args.int("subStreamId").unwrap_or(0);
    add_entry(
        conversation,
        5,
        format!("Moved from stream {from} to stream {stream}"),
        None,
    );
    Outcome::Data(json!({
        "streamId": conversation.stream,
        "subStreamId": conversation.sub_stream,
        "updatedTime": api_time(conversation.updated),
    }))
}

fn objects_set_content(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let Some(values) = properties(args.get("data")) else {
        return Outcome::BadRequest(
            "Invalid parameter data (body): expected a JSON object of properties".into(),
        );
    };
    let conversation = attempt!(store.conversation_mut(object));
    conversation.content.extend(values);
    conversation.updated = Utc::now();
    ok_empty()
}

fn objects_add_activity_log(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let conversation = attempt!(store.conversation_mut(object));
    let mut text = args.text("Text").unwrap_or_default();
    if let Some(source) = args.text("Source").filter(|s| !s.is_empty()) {
        text = format!("[{source}] {text}");
    }
    add_entry(conversation, 12, text, args.int("ManagerId"));
    ok_empty()
}

fn objects_add_remark(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let conversation = attempt!(store.conversation_mut(object));
    let text = args.text("Text").unwrap_or_default();
    add_entry(conversation, 1, text, args.int("ManagerId"));
    ok_empty()
}

fn objects_set_indicator(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let Some(indicator) = args.text("IndicatorId").filter(|i| !i.is_empty()) else {
        return Outcome::BadRequest("Missing required parameter IndicatorId (body)".into());
    };
    let conversation = attempt!(store.conversation_mut(object));
    let text = |name: &str| Value::from(args.text(name).unwrap_or_default());
    conversation.indicators.insert(
        indicator,
        json!({
            "title": text("Title"),
            "displayClass": text("DisplayClass"),
            "link": text("Link"),
            "text": "",
        }),
    );
    ok_empty()
}

fn objects_get_indicators(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let Some(conversation) = store.conversations.get(&object) else {
        return no_conversation(object);
    };
    Outcome::Data(json!({ "indicators": conversation.indicators }))
}

fn objects_delete_indicator(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let indicator = args.text("INDICATOR_ID").unwrap_or_default();
    let conversation = attempt!(store.conversation_mut(object));
    conversation.indicators.remove(&indicator);
    ok_empty()
}

fn tag_change(store: &mut Store, args: &Args, add: bool) -> Outcome {
    let object = attempt!(required_int(args, "OBJECT_ID"));
    let tag = attempt!(required_int(args, "TAG_ID"));
    let stream = args.text("STREAM_ID").unwrap_or_default();
    attempt!(store.conversation_in(&stream, object));
    let conversation = attempt!(store.conversation_mut(object));
    let had = conversation.tags.contains(&tag);
    if add && !had {
        conversation.tags.push(tag);
        add_entry(conversation, 7, format!("Tag {tag} added"), None);
    } else if !add && had {
        conversation.tags.retain(|t| *t != tag);
        add_entry(conversation, 7, format!("Tag {tag} removed"), None);
    }
    ok_empty()
}

fn tags_add_to_object(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    tag_change(store, args, true)
}

fn tags_remove_from_object(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    tag_change(store, args, false)
}

fn streams_get_objects(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let key = args.text("STREAM_ID").unwrap_or_default();
    let Some(stream) = store.known_stream(&key) else {
        // A stream the sandbox has not seen has no conversations yet.
        return Outcome::Data(json!([]));
    };
    let mut identities = Vec::new();
    if let Some(identity) = args.int("userIdentityId") {
        identities.push(identity);
    }
    let mut address_filter = |address: Option<String>, kind: Option<i64>| {
        if let Some(address) = address {
            let found = store
                .customers
                .values()
                .flat_map(|c| &c.identities)
                .filter(|i| {
                    i.address.eq_ignore_ascii_case(&address) && kind.is_none_or(|k| i.kind == k)
                })
                .map(|i| i.id)
                .collect::<Vec<_>>();
            // An address no one has: a filter nothing passes.
            identities.extend(if found.is_empty() { vec![-1] } else { found });
        }
    };
    address_filter(
        args.text("identityStreamProviderId"),
        args.int("identityStreamProviderType"),
    );
    address_filter(
        args.text("streamProviderId"),
        args.int("streamProviderType"),
    );
    let filter = ListFilter {
        stream: Some(stream),
        identities,
        default_order: "createdtime",
        childs_default: false,
    };
    match store.list(&filter, args) {
        Ok(items) => Outcome::Data(Value::Array(items)),
        Err(outcome) => outcome,
    }
}

fn users_get(store: &mut Store, spec: &Spec, args: &Args) -> Outcome {
    // By id, or by the address of one of the user's identities.
    if args.text("streamProviderId").is_some() {
        return users_get_by_address(store, spec, args);
    }
    let id = attempt!(required_int(args, "USER_ID"));
    match store.customers.get(&id) {
        Some(c) => Outcome::Data(store.customer_json(c)),
        None => Outcome::NotFound(format!("User {id} does not exist")),
    }
}

fn users_update(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let id = attempt!(required_int(args, "USER_ID"));
    let Some(c) = store.customers.get_mut(&id) else {
        return Outcome::NotFound(format!("User {id} does not exist"));
    };
    for (name, field) in [
        ("UniqueId", &mut c.unique_id),
        ("FirstName", &mut c.first_name),
        ("LastName", &mut c.last_name),
        ("Email", &mut c.email),
        ("Phone1", &mut c.phone1),
        ("Phone2", &mut c.phone2),
        ("Remarks", &mut c.remarks),
    ] {
        if let Some(value) = args.text(name) {
            *field = value;
        }
    }
    if let Some(values) = properties(args.get("Content")) {
        c.content.extend(values);
    }
    Outcome::Data(json!({ "Id": id }))
}

fn users_get_objects(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    store.identity_list(args.int("USER_IDENTITY_ID"), args)
}

fn users_get_objects_legacy(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    store.identity_list(args.int("userIdentityId"), args)
}

fn users_get_objects_v2(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    match store.identity_list(args.int("USER_IDENTITY_ID"), args) {
        Outcome::Data(items) => {
            let mut body = crate::respond::envelope_value(
                axum::http::StatusCode::OK,
                "Operation successful",
                items,
            );
            if let Value::Object(map) = &mut body {
                map.insert("totalUnreadChatMessages".into(), 0.into());
            }
            Outcome::Bare(body)
        }
        other => other,
    }
}

fn users_get_by_address(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let address = args.text("streamProviderId").unwrap_or_default();
    let kind = args.int("streamProviderType").unwrap_or(0);
    match store.find_by_address(&address, kind) {
        Some((customer, _)) => match store.customers.get(&customer) {
            Some(c) => Outcome::Data(store.customer_json(c)),
            None => Outcome::NotFound(format!("No user has the address {address:?}")),
        },
        None => Outcome::NotFound(format!(
            "No user has the address {address:?} of type {kind}"
        )),
    }
}

fn no_agent(id: i64) -> Outcome {
    Outcome::NotFound(format!("Manager {id} does not exist"))
}

fn apply_agent_fields(agent: &mut Agent, args: &Args) {
    for (name, field) in [
        ("FirstName", &mut agent.first_name),
        ("LastName", &mut agent.last_name),
        ("Email", &mut agent.email),
        ("UserName", &mut agent.user_name),
    ] {
        if let Some(value) = args.text(name) {
            *field = value;
        }
    }
    if let Some(team) = args.int("TeamId") {
        agent.team_id = Some(team);
    }
    if let Some(admin) = args.flag("IsAdmin") {
        agent.permission = if admin { 3 } else { 2 };
    }
    if let Some(permission) = args.int("PermissionId") {
        agent.permission = permission;
    }
}

fn managers_get(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let id = attempt!(required_int(args, "MANAGER_ID"));
    match store.agents.get(&id) {
        Some(agent) => Outcome::Data(Store::agent_json(agent)),
        None => no_agent(id),
    }
}

fn managers_update(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let id = attempt!(required_int(args, "MANAGER_ID"));
    let Some(agent) = store.agents.get_mut(&id) else {
        return no_agent(id);
    };
    apply_agent_fields(agent, args);
    Outcome::Data(json!({ "id": id }))
}

fn managers_delete(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let id = attempt!(required_int(args, "MANAGER_ID"));
    match store.agents.remove(&id) {
        Some(_) => Outcome::Data(json!({ "id": id })),
        None => no_agent(id),
    }
}

fn managers_list(store: &mut Store, _: &Spec, _: &Args) -> Outcome {
    Outcome::Data(Value::Array(
        store.agents.values().map(Store::agent_json).collect(),
    ))
}

fn managers_create(store: &mut Store, _: &Spec, args: &Args) -> Outcome {
    let id = store.new_id();
    let identity_id = store.new_id();
    let mut agent = Agent {
        id,
        identity_id,
        permission: 2,
        ..Agent::default()
    };
    apply_agent_fields(&mut agent, args);
    if agent.user_name.is_empty() {
        agent.user_name = agent.email.clone();
    }
    store.agents.insert(id, agent);
    Outcome::Data(json!({ "id": id }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::as_int;

    fn int_at(value: &Value, pointer: &str) -> Option<i64> {
        value.pointer(pointer).and_then(as_int)
    }

    fn spec() -> Spec {
        cirrus_spec::load(crate::CIRRUS_SPEC).unwrap()
    }

    fn data(outcome: Outcome) -> Value {
        match outcome {
            Outcome::Data(value) => value,
            other => panic!("expected data, got {other:?}"),
        }
    }

    #[test]
    fn a_conversation_flow_changes_what_is_read() {
        let spec = spec();
        let mut store = Store::seeded();
        let created = data(objects_create(
            &mut store,
            &spec,
            &Args::from_pairs([
                ("STREAM_ID", json!("abc==")),
                ("Message", json!("Where is my parcel?")),
                ("UserStreamProviderId", json!("kim@example.com")),
                ("UserStreamProviderType", json!(4)),
                ("User", json!({"FirstName": "Kim", "LastName": "Lee"})),
            ]),
        ));
        assert_eq!(created, json!({"id": 101}));
        let child = data(objects_create_child(
            &mut store,
            &spec,
            &Args::from_pairs([
                ("STREAM_ID", json!("abc==")),
                ("OBJECT_ID", json!(101)),
                ("Message", json!("Where is my parcel?")),
            ]),
        ));
        // The new customer took ids 102 (customer) and 103 (identity).
        assert_eq!(child, json!({"id": 104}));
        data(objects_set_status(
            &mut store,
            &spec,
            &Args::from_pairs([("OBJECT_ID", json!(101)), ("STATUS_ID", json!(2))]),
        ));
        data(tags_add_to_object(
            &mut store,
            &spec,
            &Args::from_pairs([
                ("STREAM_ID", json!(1402)),
                ("OBJECT_ID", json!(101)),
                ("TAG_ID", json!(7)),
            ]),
        ));
        let read = data(objects_get(
            &mut store,
            &spec,
            &Args::from_pairs([
                ("STREAM_ID", json!("1402")),
                ("OBJECT_ID", json!(101)),
                ("includeChilds", json!(true)),
            ]),
        ));
        assert_eq!(int_at(&read, "/0/objectId"), Some(101));
        assert_eq!(int_at(&read, "/0/streamid"), Some(1402));
        assert_eq!(int_at(&read, "/0/statusId"), Some(2));
        assert_eq!(int_at(&read, "/0/numTags"), Some(1));
        assert_eq!(read[0]["firstName"], "Kim");
        assert_eq!(read[0]["childs"][0]["message"], "Where is my parcel?");
        assert!(read[0]["closeTime"].is_string());
        let log = data(objects_get_activities(
            &mut store,
            &spec,
            &Args::from_pairs([("OBJECT_ID", json!(101))]),
        ));
        assert_eq!(log[0]["data"], "Status changed from Open to Resolved");
        assert_eq!(log[1]["data"], "Tag 7 added");
    }

    #[test]
    fn unknown_ids_are_not_found() {
        let spec = spec();
        let mut store = Store::seeded();
        assert_eq!(
            objects_get(
                &mut store,
                &spec,
                &Args::from_pairs([("STREAM_ID", json!("1")), ("OBJECT_ID", json!(999))]),
            ),
            Outcome::NotFound("Conversation 999 does not exist".into())
        );
        assert_eq!(
            objects_get(
                &mut store,
                &spec,
                &Args::from_pairs([("STREAM_ID", json!("2")), ("OBJECT_ID", json!(1))]),
            ),
            Outcome::NotFound("Conversation 1 is not in stream 2".into())
        );
        assert_eq!(
            managers_get(
                &mut store,
                &spec,
                &Args::from_pairs([("MANAGER_ID", json!(5))])
            ),
            Outcome::NotFound("Manager 5 does not exist".into())
        );
    }
}
