//! C14, the part that is not a timing: a synthetic spec of 1,000 operations
//! and 600 data types loads, checks and expands into one request per
//! operation and one item per type. How long that takes, and how the time
//! grows, is measured by `cargo bench -p cirrus-codegen --bench expand`
//! (BENCHMARKS.md), not here.

#[path = "../../cirrus-codegen/benches/synthetic.rs"]
mod synthetic;

#[test]
fn a_spec_of_1000_operations_and_600_types_expands() {
    let text = synthetic::synthetic_spec(1_000, 600);
    let spec = cirrus_spec::load(&text).expect("the synthetic spec is valid");
    assert_eq!(spec.operations().count(), 1_000);
    // 599 objects and the one enumeration they share.
    assert_eq!(spec.types.len(), 600);

    let code = cirrus_codegen::expand(&spec, "/spec.json").to_string();
    // One request struct per operation: 40 modules of 25, `Op0Request` to
    // `Op24Request` in each.
    assert_eq!(code.matches("pub struct Op0Request").count(), 40);
    assert_eq!(code.matches("pub struct Op24Request").count(), 40);
    assert_eq!(code.matches("pub struct Op25Request").count(), 0);
    assert_eq!(code.matches("pub struct Type599 ").count(), 1);
    assert_eq!(code.matches("pub enum Status ").count(), 1);
}
