//! Timestamps as the API writes them.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use std::fmt;
use std::str::FromStr;

/// A point in time, in UTC, to the nanosecond.
///
/// The API writes times as ISO 8601 with up to seven fractional digits
/// (`2024-08-06T07:51:52.2581942Z`); all of them are kept. A time written
/// without a zone (`2024-08-06T07:51:52.2581942`) is read as UTC, as the
/// API's documentation says its times are. The .NET minimum date
/// `0001-01-01T00:00:00`, which the API sends for "never", is kept as it is:
/// see [`Timestamp::is_dotnet_min`].
///
/// ```
/// use cirrus_client::Timestamp;
///
/// let t: Timestamp = "2024-08-06T07:51:52.2581942".parse().unwrap();
/// assert_eq!(t.to_string(), "2024-08-06T07:51:52.2581942Z");
/// assert_eq!(t.as_datetime().timestamp_subsec_nanos(), 258_194_200);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Wraps a chrono time.
    pub fn from_datetime(time: DateTime<Utc>) -> Timestamp {
        Timestamp(time)
    }

    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp(Utc::now())
    }

    /// The time as chrono's `DateTime<Utc>`.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Whether this is `0001-01-01T00:00:00`, the .NET minimum date that the
    /// API uses for a time that has not happened (a conversation not closed).
    pub fn is_dotnet_min(&self) -> bool {
        // 0001-01-01T00:00:00Z in Unix seconds.
        const DOTNET_MIN: i64 = -62_135_596_800;
        self.0.timestamp() == DOTNET_MIN && self.0.timestamp_subsec_nanos() == 0
    }

    /// Seconds since the Unix epoch, the form the API's query filters take.
    pub fn unix_seconds(&self) -> i64 {
        self.0.timestamp()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Timestamp {
        Timestamp(time)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(time: Timestamp) -> DateTime<Utc> {
        time.0
    }
}

/// Why a text is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError {
    text: String,
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an ISO 8601 time such as 2024-08-06T07:51:52.2581942Z",
            self.text
        )
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(text: &str) -> Result<Timestamp, ParseTimestampError> {
        let trimmed = text.trim();
        if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(Timestamp(time.with_timezone(&Utc)));
        }
        // No zone: the API's times are UTC.
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
                return Ok(Timestamp(naive.and_utc()));
            }
        }
        Err(ParseTimestampError {
            text: text.chars().take(64).collect(),
        })
    }
}

impl fmt::Display for Timestamp {
    /// Writes the API's own format: UTC, seven fractional digits, `Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chrono writes 3, 6 or 9 digits; the API writes 7 (100 ns ticks).
        let nine = self.0.to_rfc3339_opts(SecondsFormat::Nanos, true);
        match nine.rfind('.') {
            Some(dot) if nine.len() >= dot + 10 => write!(f, "{}Z", &nine[..dot + 8]),
            _ => f.write_str(&nine),
        }
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 time")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_digits_round_trip() {
        let t: Timestamp = "2024-08-06T07:51:52.2581942Z".parse().unwrap();
        assert_eq!(t.as_datetime().timestamp_subsec_nanos(), 258_194_200);
        assert_eq!(t.to_string(), "2024-08-06T07:51:52.2581942Z");
    }

    #[test]
    fn offsets_become_utc() {
        let t: Timestamp = "2024-08-06T09:51:52+02:00".parse().unwrap();
        assert_eq!(t.to_string(), "2024-08-06T07:51:52.0000000Z");
    }

    #[test]
    fn dotnet_min_date_is_kept_and_recognised() {
        let t: Timestamp = "0001-01-01T00:00:00".parse().unwrap();
        assert!(t.is_dotnet_min());
        assert_eq!(t.to_string(), "0001-01-01T00:00:00.0000000Z");
        let later: Timestamp = "2024-01-01T00:00:00".parse().unwrap();
        assert!(!later.is_dotnet_min());
    }

    #[test]
    fn garbage_is_an_error() {
        assert!("yesterday".parse::<Timestamp>().is_err());
        assert!("".parse::<Timestamp>().is_err());
    }
}
