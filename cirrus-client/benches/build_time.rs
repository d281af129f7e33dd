//! Build times: cirrus-client from clean, cirrus-client alone (the macro's
//! expansion and the generated code, its dependencies already built), a
//! small crate that uses it, and crates generated from synthetic specs of
//! 1,000 and 2,000 operations with their peak compiler memory (case C14). Each build runs cargo in its own target folder
//! (`target/build-time`), so the figures do not depend on what was built
//! before. `cargo bench -p cirrus-client --bench build_time`.

#[path = "../../cirrus-codegen/benches/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn cargo(args: &[&str], dir: &Path, target: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "cargo {args:?} failed in {}",
        dir.display()
    );
    started.elapsed()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that does not name this
    // benchmark skips it, so `cargo bench -- c_expand` stays quick.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "d_build_time".contains(f.as_str())) {
        return;
    }
    let client_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = client_dir.parent().expect("the workspace").to_path_buf();
    let target = workspace.join("target").join("build-time");
    let _ = std::fs::remove_dir_all(&target);

    let clean = cargo(&["build", "-q", "-p", "cirrus-client"], &workspace, &target);
    // Cleaning the one package drops its incremental cache too, so this is
    // the macro and the generated code compiled from nothing.
    cargo(&["clean", "-q", "-p", "cirrus-client"], &workspace, &target);
    let alone = cargo(&["build", "-q", "-p", "cirrus-client"], &workspace, &target);

    let user = target.join("user-crate");
    std::fs::create_dir_all(user.join("src")).expect("mkdir");
    std::fs::write(
        user.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user-crate\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ncirrus-client = {{ path = {:?} }}\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n",
            client_dir.display().to_string()
        ),
    )
    .expect("write manifest");
    std::fs::write(
        user.join("src/main.rs"),
        "#[tokio::main]\nasync fn main() {\n    let client = cirrus_client::Client::builder().token(\"t\").build().unwrap();\n    \
         let _ = client.core().system_status().await;\n    let _ = client.objects().get(\"s\", 1).include_childs(true).await;\n}\n",
    )
    .expect("write main");
    cargo(&["build", "-q"], &user, &target);
    cargo(&["clean", "-q", "-p", "user-crate"], &user, &target);
    let user_crate = cargo(&["build", "-q"], &user, &target);

    // C14: a crate whose spec has 1,000 operations and 600 types, and one
    // twice that size; the peak memory of the compiler is that of the
    // largest process cargo waited for.
    let mut large = Vec::new();
    for (operations, types) in [(1_000, 600), (2_000, 1_200)] {
        let dir = target.join(format!("spec-{operations}"));
        std::fs::create_dir_all(dir.join("src")).expect("mkdir");
        std::fs::write(
            dir.join("spec.json"),
            synthetic::synthetic_spec(operations, types),
        )
        .expect("write spec");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"spec-{operations}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\ncirrus-client = {{ path = {:?} }}\n\n[workspace]\n",
                client_dir.display().to_string()
            ),
        )
        .expect("write manifest");
        std::fs::write(
            dir.join("src/lib.rs"),
            "//! A large generated client.\ncirrus_client::generate!(\"spec.json\");\n",
        )
        .expect("write lib");
        // Only this crate's build counts: cirrus-client is built already.
        cargo(&["build", "-q", "-p", "cirrus-client"], &dir, &target);
        let time = cargo(&["build", "-q"], &dir, &target);
        large.push((operations, types, time, peak_child_rss_bytes()));
    }

    println!(
        "d_build_time (debug profile, {} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  cirrus-client from clean, dependencies included: {:>6.1} s",
        clean.as_secs_f64()
    );
    println!(
        "  cirrus-client alone (macro + generated code):     {:>6.1} s",
        alone.as_secs_f64()
    );
    println!(
        "  a small crate using it (its own code only):       {:>6.1} s",
        user_crate.as_secs_f64()
    );
    for (operations, types, time, peak) in &large {
        println!(
            "  a crate of {operations} operations and {types} types: {:>6.1} s, largest process so far {:.0} MiB",
            time.as_secs_f64(),
            *peak as f64 / 1_048_576.0
        );
    }
    if let [(_, _, one, _), (_, _, two, _)] = large.as_slice() {
        println!(
            "  doubling the spec multiplies its build time by {:.2}",
            two.as_secs_f64() / one.as_secs_f64()
        );
    }
}

/// The largest resident set of any finished child process, rustc included
/// (cargo waits for it, and we wait for cargo).
fn peak_child_rss_bytes() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    // Linux reports kilobytes.
    usage.ru_maxrss as u64 * 1024
}
