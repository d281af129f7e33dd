//! Routing by the spec: a request path is matched against every path
//! template, the most specific match wins, then the method picks the
//! operation.
//!
//! Templates are grouped by shape (their literals, with every placeholder
//! alike), so `/streams/{STREAM_ID}/objects/{OBJECT_ID}/child` and
//! `/streams/{STREAM_ID}/objects/{STREAM_PROVIDER_ID}/child` would be one
//! path served by several methods. Literals match without regard to case
//! (the API's own docs write `/Core/SystemStatus` and `/core/systemstatus`);
//! where two shapes match, the one with a literal at the first place they
//! differ wins, so `/managers/teams` is not read as agent `teams`.

use cirrus_spec::{Method, Operation, PathSegment};
use percent_encoding::percent_decode_str;

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// The operation at this index, with its path parameters as decoded
    /// text, by name.
    Found {
        op: usize,
        params: Vec<(String, String)>,
    },
    /// No template matches the path.
    NotFound,
    /// A template matches, but the spec lists none of its operations for
    /// this method; the methods it does list.
    MethodNotAllowed { allowed: Vec<&'static str> },
}

#[derive(Debug)]
enum Seg {
    Literal(String),
    Param,
}

#[derive(Debug)]
struct Shape {
    segments: Vec<Seg>,
    /// Method, operation index, and the placeholder names in order.
    ops: Vec<(Method, usize, Vec<String>)>,
}

/// The routing table of a spec.
#[derive(Debug)]
pub(crate) struct Router {
    shapes: Vec<Shape>,
}

impl Router {
    /// Builds the table from operations in spec order.
    pub(crate) fn new<'a>(operations: impl IntoIterator<Item = &'a Operation>) -> Router {
        let mut shapes: Vec<Shape> = Vec::new();
        for (index, op) in operations.into_iter().enumerate() {
            let segments: Vec<Seg> = op
                .path
                .segments
                .iter()
                .map(|s| match s {
                    PathSegment::Literal(text) => Seg::Literal(text.to_ascii_lowercase()),
                    PathSegment::Param(_) => Seg::Param,
                })
                .collect();
            let names = op.path.params().map(str::to_owned).collect();
            let entry = (op.method, index, names);
            match shapes
                .iter_mut()
                .find(|s| same_shape(&s.segments, &segments))
            {
                Some(shape) => shape.ops.push(entry),
                None => shapes.push(Shape {
                    segments,
                    ops: vec![entry],
                }),
            }
        }
        Router { shapes }
    }

    /// Routes a method (as HTTP writes it) and a raw, still percent-encoded
    /// path.
    pub(crate) fn route(&self, method: &str, raw_path: &str) -> Route {
        let raw = raw_path.strip_prefix('/').unwrap_or(raw_path);
        let decoded: Vec<String> = if raw.is_empty() {
            Vec::new()
        } else {
            raw.split('/')
                .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
                .collect()
        };
        let best = self
            .shapes
            .iter()
            .filter(|shape| matches(&shape.segments, &decoded))
            .max_by(|a, b| specificity(&a.segments).cmp(&specificity(&b.segments)));
        let Some(shape) = best else {
            return Route::NotFound;
        };
        let wanted = match method {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "DELETE" => Some(Method::Delete),
            "PATCH" => Some(Method::Patch),
            _ => None,
        };
        let found = shape.ops.iter().find(|(m, _, _)| Some(*m) == wanted);
        match found {
            Some((_, op, names)) => {
                let values = shape
                    .segments
                    .iter()
                    .zip(decoded)
                    .filter(|(seg, _)| matches!(seg, Seg::Param))
                    .map(|(_, value)| value);
                Route::Found {
                    op: *op,
                    params: names.iter().cloned().zip(values).collect(),
                }
            }
            None => {
                let mut allowed: Vec<&'static str> = Vec::new();
                for (method, _, _) in &shape.ops {
                    if !allowed.contains(&method.as_str()) {
                        allowed.push(method.as_str());
                    }
                }
                Route::MethodNotAllowed { allowed }
            }
        }
    }
}

fn same_shape(a: &[Seg], b: &[Seg]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Seg::Literal(x), Seg::Literal(y)) => x == y,
            (Seg::Param, Seg::Param) => true,
            _ => false,
        })
}

fn matches(shape: &[Seg], path: &[String]) -> bool {
    shape.len() == path.len()
        && shape.iter().zip(path).all(|(seg, value)| match seg {
            Seg::Literal(text) => value.eq_ignore_ascii_case(text),
            Seg::Param => !value.is_empty(),
        })
}

/// Literals before placeholders, place by place.
fn specificity(shape: &[Seg]) -> Vec<bool> {
    shape
        .iter()
        .map(|seg| matches!(seg, Seg::Literal(_)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> (Router, cirrus_spec::Spec) {
        let spec = cirrus_spec::load(
            r#"{"title": "t", "version": "1", "modules": {"M": {"operations": {
                "Get":     {"method": "GET",    "path": "/managers/{MANAGER_ID}", "parameters": {"MANAGER_ID": {"in": "path", "type": "int64"}}},
                "Delete":  {"method": "DELETE", "path": "/managers/{ID}", "parameters": {"ID": {"in": "path", "type": "int64"}}},
                "Teams":   {"method": "GET",    "path": "/managers/teams"},
                "Tag":     {"method": "POST",   "path": "/s/{S}/o/{O}/tags/{T}", "parameters": {"S": {"in": "path", "type": "int64"}, "O": {"in": "path", "type": "int64"}, "T": {"in": "path", "type": "int64"}}},
                "ByAddr":  {"method": "POST",   "path": "/s/{S}/o/{P}/{Q}/child", "parameters": {"S": {"in": "path", "type": "int64"}, "P": {"in": "path", "type": "string"}, "Q": {"in": "path", "type": "int64"}}}
            }}}}"#,
        )
        .unwrap();
        let ops: Vec<_> = spec.operations().map(|(_, op)| op.clone()).collect();
        (Router::new(&ops), spec)
    }

    #[test]
    fn literals_win_and_params_are_decoded() {
        let (router, _) = router();
        assert_eq!(
            router.route("GET", "/managers/teams"),
            Route::Found {
                op: 2,
                params: vec![]
            }
        );
        assert_eq!(
            router.route("GET", "/MANAGERS/311"),
            Route::Found {
                op: 0,
                params: vec![("MANAGER_ID".into(), "311".into())]
            }
        );
        assert_eq!(
            router.route("DELETE", "/managers/a%2Fb"),
            Route::Found {
                op: 1,
                params: vec![("ID".into(), "a/b".into())]
            }
        );
        assert_eq!(
            router.route("POST", "/s/1/o/2/tags/child"),
            Route::Found {
                op: 3,
                params: vec![
                    ("S".into(), "1".into()),
                    ("O".into(), "2".into()),
                    ("T".into(), "child".into())
                ]
            }
        );
    }

    #[test]
    fn unknown_paths_and_methods() {
        let (router, _) = router();
        assert_eq!(router.route("GET", "/nowhere"), Route::NotFound);
        assert_eq!(router.route("GET", "/"), Route::NotFound);
        assert_eq!(router.route("GET", "/managers//"), Route::NotFound);
        assert_eq!(
            router.route("POST", "/managers/teams"),
            Route::MethodNotAllowed {
                allowed: vec!["GET"]
            }
        );
        assert_eq!(
            router.route("PUT", "/managers/7"),
            Route::MethodNotAllowed {
                allowed: vec!["GET", "DELETE"]
            }
        );
    }
}
