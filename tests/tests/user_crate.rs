//! The macro in a user's crate.
//!
//! - C3 at run time: a spec whose names are Rust keywords and
//!   non-identifiers decodes each field from its own key and writes the
//!   original keys back.
//! - Scratch crates, built by cargo from here, that depend on `cirrus-client`
//!   by path:
//!   - lint cleanliness: the real spec and the C3 spec expanded in a crate
//!     with `#![deny(warnings, missing_docs)]` and `Result`, `Option`,
//!     `String`, `Vec` and `Box` shadowed, under editions 2021 and 2024, pass
//!     `cargo clippy -- -D warnings`, and `cargo doc` finds no broken link;
//!   - C12: editing the spec alone rebuilds the crate, from the crate's
//!     folder and from the workspace root above it.
//!
//! The scratch crates live under `<target>/tmp/scratch` and share one target
//! directory there, so the client's dependencies compile once. They run in
//! one test, one after the other, so they never wait on each other's lock.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod c3 {
    cirrus_client::generate!("specs/c3.json");
}

/// A record with every C3 key, each holding a value of its own.
fn c3_record() -> Value {
    json!({
        "type": "t-type",
        "self": "t-self",
        "Self": "t-Self",
        "match": 7,
        "async": true,
        "gen": "t-gen",
        "crate": "t-crate",
        "2fa_enabled": false,
        "x-request-id": "t-x-request-id",
        "@odata.type": "t-odata",
        "urn:ext:crm:2.0:User": { "department": "t-department" }
    })
}

#[test]
fn c3_fields_decode_their_own_keys_and_serialize_back() {
    let record: c3::types::Record =
        serde_json::from_value(c3_record()).expect("the record decodes");
    assert_eq!(record.r#type, "t-type");
    assert_eq!(record.self_.as_deref(), Some("t-self"));
    assert_eq!(record.self_kind.as_deref(), Some("t-Self"));
    assert_eq!(record.r#match, Some(7));
    assert_eq!(record.r#async, Some(true));
    assert_eq!(record.r#gen.as_deref(), Some("t-gen"));
    assert_eq!(record.crate_.as_deref(), Some("t-crate"));
    assert_eq!(record._2fa_enabled, Some(false));
    assert_eq!(record.x_request_id.as_deref(), Some("t-x-request-id"));
    assert_eq!(record.odata_type.as_deref(), Some("t-odata"));
    let extension = record
        .urn_ext_crm_2_0_user
        .as_ref()
        .expect("the extension decodes");
    assert_eq!(extension.department.as_deref(), Some("t-department"));

    let written = serde_json::to_value(&record).expect("the record serializes");
    assert_eq!(written, c3_record());

    // Enum codes that are keywords.
    let kind: c3::types::Kind = serde_json::from_value(json!("self")).expect("a known code");
    assert_eq!(kind, c3::types::Kind::SelfValue);
    assert_eq!(serde_json::to_value(&kind).expect("serializes"), "self");
}

#[tokio::test]
async fn c3_keyword_module_operation_and_setters_use_the_wire_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/streams/s.7/records"))
        .and(query_param("type", "async"))
        .and(query_param("self", "3"))
        .and(query_param("gen", "false"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(cirrus_tests::envelope(Value::Array(vec![c3_record()]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = c3::Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .build()
        .expect("a loopback base URL is accepted");

    let records = client
        .r#async()
        .r#match("s.7")
        .r#type(c3::types::Kind::Async)
        .self_(3)
        .r#gen(false)
        .await
        .expect("the call succeeds")
        .into_data()
        .expect("the response has data");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].r#type, "t-type");
    assert_eq!(records[0].self_kind.as_deref(), Some("t-Self"));
}

// ===== scratch crates =====

#[test]
fn scratch_crates() {
    let scratch = Scratch::new();
    lint_clean_in_editions_2021_and_2024(&scratch);
    spec_edits_rebuild_the_crate(&scratch);
}

/// The folder of the scratch crates and their shared target directory.
struct Scratch {
    root: PathBuf,
    target: PathBuf,
    client: PathBuf,
    lockfile: String,
}

impl Scratch {
    fn new() -> Scratch {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch");
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the tests crate is inside the workspace")
            .to_owned();
        let client = workspace.join("cirrus-client");
        assert!(client.join("Cargo.toml").is_file(), "{}", client.display());
        // The workspace's lockfile pins the same versions the workspace
        // built with, so the scratch builds resolve without the network.
        let lockfile = read(&workspace.join("Cargo.lock"));
        Scratch {
            target: root.join("target"),
            root,
            client,
            lockfile,
        }
    }

    /// A fresh folder for one scenario, with the workspace's lockfile.
    fn workspace(&self, name: &str, members: &[&str]) -> PathBuf {
        let dir = self.root.join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear an old scratch workspace");
        }
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        write(
            &dir.join("Cargo.toml"),
            &format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        write(&dir.join("Cargo.lock"), &self.lockfile);
        dir
    }

    /// A library crate depending on `cirrus-client` by path.
    fn crate_manifest(&self, name: &str, edition: &str) -> String {
        format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = {edition:?}\npublish = false\n\n\
             [dependencies]\ncirrus-client = {{ path = {:?} }}\n",
            self.client.display().to_string()
        )
    }

    /// Cargo in `dir`, against the shared target directory, offline.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTDOCFLAGS");
        command
    }

    /// Runs cargo in `dir` and waits for it.
    fn cargo(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(dir, args).output().expect("run cargo")
    }
}

// ----- lint cleanliness -----

/// The crate root: strict lints, common names shadowed where the real
/// spec's client is expanded, and the C3 spec in a module that shadows them
/// too.
const LINT_LIB: &str = r#"//! A user's crate that expands two specs under strict lints.

#![deny(warnings, missing_docs)]
#![forbid(unsafe_code)]

/// Shadows the prelude's `Result`.
pub type Result = ();
/// Shadows the prelude's `Option`.
pub struct Option;
/// Shadows the prelude's `String`.
pub struct String;
/// Shadows the prelude's `Vec`.
pub struct Vec;
/// Shadows the prelude's `Box`.
pub struct Box;

cirrus_client::generate!("cirrus.json");

/// The C3 spec: keywords and non-identifiers as names.
pub mod keywords {
    /// Shadows the prelude's `Result`.
    pub type Result = ();
    /// Shadows the prelude's `Option`.
    pub struct Option;
    /// Shadows the prelude's `String`.
    pub struct String;

    cirrus_client::generate!("c3.json");
}
"#;

fn lint_clean_in_editions_2021_and_2024(scratch: &Scratch) {
    let real_spec = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/cirrus.json"));
    let c3_spec = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/c3.json"));
    let members = ["edition2021", "edition2024"];
    let dir = scratch.workspace("lint", &members);
    for (member, edition) in members.iter().zip(["2021", "2024"]) {
        let crate_dir = dir.join(member);
        write(
            &crate_dir.join("Cargo.toml"),
            &scratch.crate_manifest(member, edition),
        );
        write(&crate_dir.join("src/lib.rs"), LINT_LIB);
        write(&crate_dir.join("cirrus.json"), &real_spec);
        write(&crate_dir.join("c3.json"), &c3_spec);
    }
    let output = scratch.cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        output.status.success(),
        "cargo clippy -D warnings failed on the generated code:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The generated documentation has no broken links either.
    let output = scratch
        .command(&dir, &["doc", "--no-deps", "--workspace"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(
        output.status.success(),
        "cargo doc -D warnings failed on the generated code:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ----- C12: editing the spec rebuilds the client -----

const SPEC_V1: &str = r#"{
  "title": "Scratch", "version": "1",
  "types": {
    "Contact": { "kind": "object", "docs": "A contact.", "fields": {
      "id": { "type": "int64", "required": true, "docs": "Id." },
      "email": { "type": "string", "docs": "E-mail." }
    } }
  },
  "modules": { "Contacts": { "operations": {
    "Get": { "method": "GET", "path": "/contacts/{ID}",
             "parameters": { "ID": { "in": "path", "type": "int64" } },
             "response": "Contact" }
  } } }
}
"#;

/// `SPEC_V1` with a `nickname` field added to `Contact`.
fn spec_v2() -> String {
    let v2 = SPEC_V1.replace(
        r#""email": { "type": "string", "docs": "E-mail." }"#,
        r#""email": { "type": "string", "docs": "E-mail." },
      "nickname": { "type": "string", "docs": "Nickname." }"#,
    );
    assert_ne!(v2, SPEC_V1);
    v2
}

const LIB_V1: &str = r#"//! Reads contacts.
#![deny(warnings)]

cirrus_client::generate!("spec/contacts.json");

/// The contact's e-mail.
pub fn email(contact: &types::Contact) -> Option<&str> {
    contact.email.as_deref()
}
"#;

/// `LIB_V1` with a function reading the new field.
fn lib_v2() -> String {
    format!(
        "{LIB_V1}
/// The contact's nickname.
pub fn nickname(contact: &types::Contact) -> Option<&str> {{
    contact.nickname.as_deref()
}}
"
    )
}

fn spec_edits_rebuild_the_crate(scratch: &Scratch) {
    // A workspace with the crate one level below its root.
    let root = scratch.workspace("c12", &["scratch"]);
    let crate_dir = root.join("scratch");
    write(
        &crate_dir.join("Cargo.toml"),
        &scratch.crate_manifest("scratch", "2024"),
    );
    let spec = crate_dir.join("spec/contacts.json");
    let lib = crate_dir.join("src/lib.rs");

    // Cargo run from the crate's folder, then from the workspace root.
    let runs: [(&str, &Path, &[&str]); 2] = [
        ("the crate's folder", &crate_dir, &["check"]),
        ("the workspace root", &root, &["check", "-p", "scratch"]),
    ];
    for (place, cwd, args) in runs {
        let check = |step: &str| {
            let mut all = args.to_vec();
            all.push("--message-format=json");
            let build = Build::parse(scratch.cargo(cwd, &all));
            eprintln!("C12 from {place}, {step}: {}", build.summary());
            build
        };

        write(&spec, SPEC_V1);
        write(&lib, LIB_V1);
        check("first build").assert_ok();

        // Nothing changed: nothing is rebuilt.
        let build = check("no change");
        build.assert_ok();
        assert_eq!(build.fresh, Some(true), "rebuilt with no change");

        // A field added in the spec only: the crate is rebuilt.
        write(&spec, &spec_v2());
        let build = check("field added to the spec");
        build.assert_ok();
        assert_eq!(build.fresh, Some(false), "a spec edit did not rebuild");

        // Code reading the new field compiles.
        write(&lib, &lib_v2());
        check("code reads the new field").assert_ok();

        // The spec reverted, the code unchanged: the build fails at the
        // field that is gone.
        write(&spec, SPEC_V1);
        let build = check("spec reverted");
        assert!(!build.success, "the build passed without the field");
        assert!(
            build
                .errors
                .iter()
                .any(|e| e.contains("no field `nickname`")
                    && e.contains("src/lib.rs")
                    && e.contains("contact.nickname")),
            "expected an error at `contact.nickname` in src/lib.rs, got:\n{}",
            build.errors.join("\n")
        );
    }
}

/// What one `cargo ... --message-format=json` run of the scratch crate says.
struct Build {
    success: bool,
    /// Whether the `scratch` library was up to date (`None`: not built).
    fresh: Option<bool>,
    /// Rendered errors.
    errors: Vec<String>,
    stderr: String,
}

impl Build {
    fn parse(output: Output) -> Build {
        let mut fresh = None;
        let mut errors = Vec::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            match message["reason"].as_str() {
                Some("compiler-artifact") if message["target"]["name"] == "scratch" => {
                    fresh = message["fresh"].as_bool();
                }
                Some("compiler-message") if message["message"]["level"] == "error" => {
                    if let Some(rendered) = message["message"]["rendered"].as_str() {
                        errors.push(rendered.to_owned());
                    }
                }
                _ => {}
            }
        }
        Build {
            success: output.status.success(),
            fresh,
            errors,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn summary(&self) -> String {
        format!(
            "success {}, fresh {:?}, {} errors",
            self.success,
            self.fresh,
            self.errors.len()
        )
    }

    fn assert_ok(&self) {
        assert!(
            self.success,
            "the scratch build failed:\n{}\n{}",
            self.errors.join("\n"),
            self.stderr
        );
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
