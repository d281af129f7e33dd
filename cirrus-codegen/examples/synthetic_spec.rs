//! Writes a synthetic spec to standard output:
//! `cargo run -p cirrus-codegen --example synthetic_spec -- 1000 600 > big.json`
//! for 1,000 operations and 600 types.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let (Some(Ok(operations)), Some(Ok(types))) = (args.next(), args.next()) else {
        eprintln!("usage: synthetic_spec OPERATIONS TYPES");
        std::process::exit(2);
    };
    println!("{}", synthetic::synthetic_spec(operations, types));
}
