//! The envelope every response of the API comes in.

use crate::Timestamp;
use crate::decode::Decode;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A response: the API's envelope around the operation's data.
///
/// ```json
/// {"status": 200, "description": "Operation successful",
///  "response_time": "2024-08-06T07:51:52.2581942Z", "data": {"id": 7}}
/// ```
///
/// `status` arrives as a number or a string and is kept as a number;
/// `response_time` keeps all seven fractional digits. An operation whose
/// response body is not an envelope (the spec says `"envelope": false`)
/// gets one made for it: `status` is the HTTP status, `description` is
/// empty and `response_time` is `None`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Envelope<T> {
    /// The status the server reports, normally the HTTP status.
    pub status: u16,
    /// The server's description, such as `Operation successful`.
    pub description: String,
    /// When the server answered, in UTC.
    pub response_time: Option<Timestamp>,
    /// The operation's data; `None` when the server sent none or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

impl<T> Envelope<T> {
    /// The data, dropping the rest of the envelope; `None` when the server
    /// sent none.
    pub fn into_data(self) -> Option<T> {
        self.data
    }

    /// Whether `status` is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// An envelope made for a response that had none.
    pub(crate) fn made_for(status: u16, data: Option<T>) -> Envelope<T> {
        Envelope {
            status,
            description: String::new(),
            response_time: None,
            data,
        }
    }
}

/// Reads the envelope's `status`: a number, or a number in a string.
struct Status(u16);

impl Decode for Status {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = i64::decode(deserializer)?;
        u16::try_from(code)
            .map(Status)
            .map_err(|_| de::Error::custom(format!("{code} is not an HTTP status")))
    }
}

impl<'de, T: Decode> serde::Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

/// Reads the four members in any order, ignoring others; a missing status
/// is filled in from HTTP by the caller (it is 0 here).
struct EnvelopeVisitor<T>(PhantomData<T>);

impl<'de, T: Decode> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response envelope {status, description, response_time, data}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
        let mut envelope = Envelope {
            status: 0,
            description: String::new(),
            response_time: None,
            data: None,
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Status => envelope.status = map.next_value_seed(Seed::<Status>::new())?.0,
                Key::Description => {
                    envelope.description = map
                        .next_value_seed(Seed::<Option<String>>::new())?
                        .unwrap_or_default();
                }
                Key::ResponseTime => {
                    envelope.response_time = map.next_value_seed(Seed::<LenientTime>::new())?.0;
                }
                Key::Data => envelope.data = map.next_value_seed(Seed::<Option<T>>::new())?,
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

/// The envelope's `response_time`, or `None` when it is not a time: a time
/// the server wrote oddly must not cost the call its data.
struct LenientTime(Option<Timestamp>);

impl Decode for LenientTime {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl<'de> Visitor<'de> for TimeVisitor {
            type Value = LenientTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<LenientTime, E> {
                Ok(LenientTime(text.parse().ok()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<LenientTime, E> {
                Ok(LenientTime(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientTime, E> {
                Ok(LenientTime(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<LenientTime, E> {
                Ok(LenientTime(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<LenientTime, E> {
                Ok(LenientTime(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientTime, E> {
                Ok(LenientTime(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<LenientTime, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(LenientTime(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LenientTime, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(LenientTime(None))
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

enum Key {
    Status,
    Description,
    ResponseTime,
    Data,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "status" => Key::Status,
                    "description" => Key::Description,
                    "response_time" => Key::ResponseTime,
                    "data" => Key::Data,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads a `T` through [`Decode`] as a map value.
struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    fn new() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, T: Decode> de::DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_as_number_or_string() {
        let a: Envelope<i64> = serde_json::from_str(
            r#"{"status":200,"description":"Operation successful","response_time":"2024-08-06T07:51:52.2581942Z","data":7}"#,
        )
        .unwrap();
        let b: Envelope<i64> = serde_json::from_str(
            r#"{"data":"7","status":"200","description":"Operation successful","response_time":"2024-08-06T07:51:52.2581942Z"}"#,
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.status, 200);
        assert_eq!(a.data, Some(7));
        assert_eq!(
            a.response_time.unwrap().to_string(),
            "2024-08-06T07:51:52.2581942Z"
        );
    }

    #[test]
    fn an_odd_response_time_does_not_cost_the_data() {
        for time in [r#""bogus""#, "17", "null", "[1]"] {
            let body = format!(r#"{{"status":200,"response_time":{time},"data":7}}"#);
            let e: Envelope<i64> = serde_json::from_str(&body).unwrap();
            assert_eq!((e.response_time, e.data), (None, Some(7)), "{time}");
        }
    }

    #[test]
    fn null_data_and_description() {
        let e: Envelope<String> =
            serde_json::from_str(r#"{"status":200,"description":null,"data":null,"extra":[1]}"#)
                .unwrap();
        assert_eq!(e.data, None);
        assert_eq!(e.description, "");
    }
}
