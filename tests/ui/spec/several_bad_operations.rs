// Three bad operations in one spec: every problem is reported in the same
// build, each at its own JSON pointer.

cirrus_client::generate!("ui/spec/several_bad_operations.json");

fn main() {}
