// A typo in a key (`requird`) is reported, not silently ignored.

cirrus_client::generate!("ui/spec/unknown_key.json");

fn main() {}
