// The macro takes the spec's path as a string literal; it does not expand
// other macros in its argument. A relative path needs no `concat!`: it is
// resolved against the crate's folder already.

cirrus_client::generate!(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/spec/openapi.json"));

fn main() {}
