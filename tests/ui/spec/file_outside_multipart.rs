// A `file` parameter needs a multipart body.

cirrus_client::generate!("ui/spec/file_outside_multipart.json");

fn main() {}
