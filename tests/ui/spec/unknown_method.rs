// `FETCH` is not one of the API's HTTP methods.

cirrus_client::generate!("ui/spec/unknown_method.json");

fn main() {}
