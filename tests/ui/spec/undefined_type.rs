// The response names `Contcat`, a misspelling of the defined type `Contact`.

cirrus_client::generate!("ui/spec/undefined_type.json");

fn main() {}
