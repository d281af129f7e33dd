//! How long the `generate!` macro's work takes (read, check, expand) for the
//! real spec and for synthetic specs of 250, 1,000 and 4,000 operations, to
//! show how it grows. `cargo bench -p cirrus-codegen --bench expand`.

mod synthetic;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// What the macro does with the text of a spec.
fn macro_work(text: &str) -> usize {
    let spec = cirrus_spec::load(text).expect("the spec is valid");
    let tokens = cirrus_codegen::expand(&spec, "/spec.json");
    // The compiler receives the tokens as text-like token trees; counting
    // them walks the whole output once.
    tokens.into_iter().count()
}

fn expand(c: &mut Criterion) {
    let real = include_str!("../../spec/cirrus.json");
    let mut group = c.benchmark_group("c_expand");
    group.sample_size(10);
    group.bench_function("cirrus_json_76_operations", |b| b.iter(|| macro_work(real)));
    for operations in [250, 1_000, 4_000] {
        let text = synthetic::synthetic_spec(operations, operations * 3 / 5);
        group.throughput(criterion::Throughput::Elements(operations as u64));
        group.bench_with_input(
            BenchmarkId::new("synthetic_operations", operations),
            &text,
            |b, text| b.iter(|| macro_work(text)),
        );
    }
    group.finish();
}

criterion_group!(benches, expand);
criterion_main!(benches);
