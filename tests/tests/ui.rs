//! Compile-time tests of the generated client and of the spec checks.
//!
//! - `ui/pass`: every operation of every module of `spec/cirrus.json`,
//!   called with the types the spec gives its parameters and response.
//! - `ui/fail`: calls the spec does not allow, each with rustc's error.
//! - `ui/spec`: one bad spec per kind of mistake, each with the exact
//!   error `generate!` reports. The broken specs of case C13 are among
//!   them: `trailing_comma`, `undefined_type` (`Contcat`),
//!   `unknown_method` (`FETCH`), `path_placeholder_undeclared`,
//!   `path_parameter_not_in_path`, `openapi`, `missing_file` and
//!   `several_bad_operations`.
//!
//! Regenerate the expected `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p cirrus-tests --test ui`, then read them.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    stage_specs();
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
    cases.compile_fail("ui/spec/*.rs");
}

/// Puts a copy of `ui/spec/*.json` where the `ui/spec/*.rs` cases find it.
///
/// trybuild compiles each case as a binary of a crate it writes at
/// `<target>/tests/trybuild/<this package>/`, so that is the
/// `CARGO_MANIFEST_DIR` `generate!` resolves its path against. The cases name
/// their spec as `ui/spec/<case>.json`, the path from this package's folder,
/// and this mirrors the folder there. The target directory is asked of
/// `cargo metadata`, as trybuild does, so `CARGO_TARGET_DIR` and
/// `build.target-dir` are honoured.
fn stage_specs() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/spec");
    let project = target_dir()
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"));
    let staged = project.join("ui/spec");
    // Start afresh, so that a spec removed here is missing there too.
    if staged.exists() {
        std::fs::remove_dir_all(&staged).expect("clear the staged specs");
    }
    std::fs::create_dir_all(&staged).expect("create the staged spec folder");
    for entry in std::fs::read_dir(&source).expect("read tests/ui/spec") {
        let path = entry.expect("list tests/ui/spec").path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, staged.join(name)).expect("copy a spec");
        }
    }
}

/// The workspace's target directory, as cargo reports it.
fn target_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version=1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let dir = metadata["target_directory"]
        .as_str()
        .expect("cargo metadata names the target directory");
    PathBuf::from(dir)
}
