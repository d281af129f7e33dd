//! How response values are read: leniently where the API is loose, strictly
//! where a wrong value would lose information.
//!
//! The API sends numbers as strings in places (`"unreadCount": "18918967"`)
//! and ids as numbers where the docs say strings. Generated types read every
//! field through [`Decode`], which accepts both spellings, while never
//! turning a float into an integer, rounding a 30-digit integer, or
//! accepting a word where a number belongs.

use crate::Timestamp;
use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A type the generated client can read from a response.
///
/// Implemented for the spec's built-in types, for `Vec` and `Option` of
/// them, and by the macro for every generated type.
pub trait Decode: Sized {
    /// Reads a value.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// The value of an empty response body, for types that allow one.
    fn from_empty_body() -> Option<Self> {
        None
    }
}

/// `deserialize_with` adapter: reads any [`Decode`] type.
///
/// The macro names this function in the `#[serde(deserialize_with)]` of
/// every generated field.
pub fn decode<'de, D: Deserializer<'de>, T: Decode>(deserializer: D) -> Result<T, D::Error> {
    T::decode(deserializer)
}

/// A member name in a generated object's visitor: borrowed from the input
/// where it can be, so reading a key does not allocate.
#[doc(hidden)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of the current member through [`Decode`].
#[doc(hidden)]
pub fn member<'de, A: MapAccess<'de>, T: Decode>(map: &mut A) -> Result<T, A::Error> {
    map.next_value_seed(DecodeSeed(PhantomData))
}

/// Skips the value of a member the type does not know.
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// A required member's value, or the error that it was missing.
#[doc(hidden)]
pub fn required<T, E: de::Error>(value: Option<T>, member: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(member))
}

/// The `data` of an operation that returns none: anything the server sends
/// there is read and dropped, and an empty body is a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoData;

impl Decode for NoData {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::IgnoredAny::deserialize(deserializer)?;
        Ok(NoData)
    }

    fn from_empty_body() -> Option<Self> {
        Some(NoData)
    }
}

impl<'de> serde::Deserialize<'de> for NoData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NoData::decode(deserializer)
    }
}

/// `visit_seq` and `visit_map` for a visitor of one value (a number, a
/// string) read with `deserialize_any`: they read past the list or object
/// before refusing it. serde_json places an error where it stopped reading,
/// and the client names the JSON path of that place (see `json_path.rs`);
/// refused at its opening bracket, a list would be blamed on its first item.
macro_rules! refuse_lists_and_objects {
    () => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            Err(de::Error::invalid_type(de::Unexpected::Map, &self))
        }
    };
}

macro_rules! integer {
    ($ty:ty, $name:literal) => {
        impl Decode for $ty {
            fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct IntVisitor;
                impl<'de> Visitor<'de> for IntVisitor {
                    type Value = $ty;
                    refuse_lists_and_objects!();
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("an integer (", $name, "), or one in a string"))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        <$ty>::try_from(v).map_err(|_| E::custom(format!("{v} does not fit in {}", $name)))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        <$ty>::try_from(v).map_err(|_| E::custom(format!("{v} does not fit in {}", $name)))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        // `-0` is an integer in JSON, but serde_json keeps
                        // its sign as a float.
                        if v == 0.0 {
                            return Ok(0);
                        }
                        // serde_json reads an integer too long for 64 bits as
                        // a float; rounding it would invent digits.
                        Err(E::custom(format!(
                            "expected an integer ({}), found {v}: a fraction, or an integer too large to keep exactly",
                            $name
                        )))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.trim().parse().map_err(|_| {
                            E::custom(format!("expected an integer ({}), found the string {v:?}", $name))
                        })
                    }
                }
                deserializer.deserialize_any(IntVisitor)
            }
        }
    };
}

integer!(i32, "int32");
integer!(i64, "int64");

impl Decode for f64 {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FloatVisitor;
        impl<'de> Visitor<'de> for FloatVisitor {
            type Value = f64;
            refuse_lists_and_objects!();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or one in a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                // Rust reads "NaN", "inf" and "1e999" (as infinity); none is
                // a JSON number, and none could be written back as one.
                match v.trim().parse::<f64>() {
                    Ok(number) if number.is_finite() => Ok(number),
                    _ => Err(E::custom(format!(
                        "expected a number, found the string {v:?}"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl Decode for bool {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoolVisitor;
        impl<'de> Visitor<'de> for BoolVisitor {
            type Value = bool;
            refuse_lists_and_objects!();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                match v.trim() {
                    "true" | "True" => Ok(true),
                    "false" | "False" => Ok(false),
                    _ => Err(E::custom(format!(
                        "expected true or false, found the string {v:?}"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(BoolVisitor)
    }
}

impl Decode for String {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringVisitor;
        impl<'de> Visitor<'de> for StringVisitor {
            type Value = String;
            refuse_lists_and_objects!();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or a number to keep as text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
            // An id typed as string may arrive as a number; integers up to
            // 64 bits arrive here exactly, digit for digit.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
                // An integer past 64 bits arrives as a float, its digits
                // already rounded: refuse it rather than invent digits.
                if v.fract() == 0.0 && v.abs() >= 9_007_199_254_740_992.0 {
                    return Err(E::custom(format!(
                        "a number too long to keep as text exactly ({v}); the server should send it as a string"
                    )));
                }
                Ok(v.to_string())
            }
        }
        deserializer.deserialize_any(StringVisitor)
    }
}

impl Decode for Timestamp {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Timestamp::deserialize(deserializer)
    }
}

impl Decode for serde_json::Value {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(PhantomData<T>);
        impl<'de, T: Decode> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::decode(d).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

/// Reads one `T` through [`Decode`], as a seed for sequence elements.
struct DecodeSeed<T>(PhantomData<T>);

impl<'de, T: Decode> DeserializeSeed<'de> for DecodeSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: Decode> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // Trust the size hint only so far: it comes from the server.
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(DecodeSeed(PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: Decode>(json: &str) -> Result<T, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        T::decode(&mut de)
    }

    #[test]
    fn integers_in_strings_and_numbers_agree() {
        assert_eq!(read::<i64>("\"18918967\"").unwrap(), 18_918_967);
        assert_eq!(read::<i64>("18918967").unwrap(), 18_918_967);
        assert_eq!(read::<i64>("9223372036854775807").unwrap(), i64::MAX);
        assert!(read::<i64>("\"abc\"").is_err());
        assert!(read::<i64>("1.5").is_err());
        assert!(read::<i64>("123456789012345678901234567890").is_err());
        assert!(read::<i32>("3000000000").is_err());
        // `-0` is an integer (serde_json hands it over as a float); `5.0`
        // is still refused.
        assert_eq!(read::<i64>("-0").unwrap(), 0);
        assert_eq!(read::<i32>("-0").unwrap(), 0);
        assert_eq!(read::<i64>("\"-0\"").unwrap(), 0);
        assert!(read::<i64>("5.0").is_err());
    }

    #[test]
    fn numbers_in_strings_must_be_finite() {
        for text in ["\"NaN\"", "\"inf\"", "\"-infinity\"", "\"1e999\""] {
            assert!(read::<f64>(text).is_err(), "{text}");
        }
        assert_eq!(read::<f64>("\"-1e3\"").unwrap(), -1000.0);
    }

    #[test]
    fn floats_keep_every_bit() {
        let text = "117.63331139400017";
        assert_eq!(
            read::<f64>(text).unwrap().to_bits(),
            text.parse::<f64>().unwrap().to_bits()
        );
        assert_eq!(read::<f64>("\"4.5\"").unwrap(), 4.5);
    }

    #[test]
    fn strings_accept_ids_sent_as_numbers() {
        assert_eq!(read::<String>("12345").unwrap(), "12345");
        assert_eq!(
            read::<String>("9007199254740993").unwrap(),
            "9007199254740993"
        );
    }

    #[test]
    fn options_and_lists() {
        assert_eq!(read::<Option<i64>>("null").unwrap(), None);
        assert_eq!(read::<Option<i64>>("\"7\"").unwrap(), Some(7));
        assert_eq!(read::<Vec<i64>>("[1, \"2\"]").unwrap(), vec![1, 2]);
    }
}
