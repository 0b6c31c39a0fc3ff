//! `format`: the formats JSON Schema 2020-12 and OpenAPI define, asserted in every location (the
//! generator emits a check wherever a schema names one). Formats it does not know are
//! annotations, as JSON Schema allows. No dependency: each grammar is small and its RFC is cited.

use super::{At, Errors};

/// A string format the server asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 `date-time`, e.g. `2024-02-29T12:30:00Z`.
    DateTime,
    /// RFC 3339 `full-date`, e.g. `2024-02-29`.
    Date,
    /// RFC 3339 `full-time` (with an offset), e.g. `12:30:00+02:00`.
    Time,
    /// RFC 3339 Appendix A (ISO 8601) `duration`, e.g. `P1DT2H`.
    Duration,
    /// RFC 9562 `uuid` in its hex-and-hyphens form.
    Uuid,
    /// RFC 5321 `Mailbox` (`local@domain`).
    Email,
    /// RFC 1123 host name.
    Hostname,
    /// RFC 2673 dotted-quad IPv4 address.
    Ipv4,
    /// RFC 4291 IPv6 address.
    Ipv6,
    /// RFC 3986 absolute URI (with a scheme).
    Uri,
    /// RFC 3986 URI reference (relative or absolute).
    UriReference,
    /// OpenAPI `byte`: base64 (RFC 4648 §4, or the URL-safe alphabet of §5), padding optional.
    Byte,
}

impl Format {
    /// The format's name in a schema.
    pub fn name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Duration => "duration",
            Format::Uuid => "uuid",
            Format::Email => "email",
            Format::Hostname => "hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Uri => "uri",
            Format::UriReference => "uri-reference",
            Format::Byte => "byte",
        }
    }

    /// Whether `value` is written in this format.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Format::DateTime => is_date_time(value),
            Format::Date => is_date(value),
            Format::Time => is_time(value),
            Format::Duration => is_duration(value),
            Format::Uuid => is_uuid(value),
            Format::Email => is_email(value),
            Format::Hostname => is_hostname(value),
            Format::Ipv4 => value.parse::<std::net::Ipv4Addr>().is_ok(),
            Format::Ipv6 => value.parse::<std::net::Ipv6Addr>().is_ok(),
            Format::Uri => is_uri(value, true),
            Format::UriReference => is_uri(value, false),
            Format::Byte => is_base64(value),
        }
    }
}

/// Records an error unless `value` is written in `format`. The value is not echoed: a format
/// check is often what stands between hostile text and a log or a file name.
pub fn check_format(value: &str, format: Format, at: &At, errors: &mut Errors) {
    if !format.accepts(value) {
        errors.push(at, format_args!("must be a valid {}", format.name()));
    }
}

/// `format: float`: a number a 32-bit float can hold (the integer formats are the Rust types).
pub fn check_float_range(value: &f64, at: &At, errors: &mut Errors) {
    if value.abs() > f64::from(f32::MAX) {
        errors.push(at, "must be within the range of a float (32 bits)");
    }
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    // ASCII only, so that every slice below falls on a character boundary.
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        digits(&text[0..4], 4),
        digits(&text[5..7], 2),
        digits(&text[8..10], 2),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// `full-time`: `HH:MM:SS[.frac](Z|±HH:MM)`.
fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        digits(&text[0..2], 2),
        digits(&text[3..5], 2),
        digits(&text[6..8], 2),
    ) else {
        return false;
    };
    // 60 is a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &text[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    if rest.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    let ob = offset.as_bytes();
    if ob.len() != 5 || ob[2] != b':' {
        return false;
    }
    matches!(
        (digits(&offset[0..2], 2), digits(&offset[3..5], 2)),
        (Some(h), Some(m)) if h <= 23 && m <= 59
    )
}

fn is_date_time(text: &str) -> bool {
    match text.split_once(['T', 't']) {
        Some((date, time)) => is_date(date) && is_time(time),
        None => false,
    }
}

/// `P[nY][nM][nD][T[nH][nM][nS]]` (at least one part, at least one after `T`) or `PnW`.
fn is_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let parts = |text: &str, units: &[u8]| -> Option<usize> {
        let mut next_unit = 0;
        let mut count = 0;
        let mut number = false;
        for b in text.bytes() {
            if b.is_ascii_digit() {
                number = true;
                continue;
            }
            let position = units[next_unit..].iter().position(|u| *u == b)?;
            if !number {
                return None;
            }
            next_unit += position + 1;
            count += 1;
            number = false;
        }
        (!number).then_some(count)
    };
    let Some(date_parts) = parts(date, b"YMD") else {
        return false;
    };
    match time {
        Some(time) => parts(time, b"HMS").is_some_and(|n| n > 0),
        None => date_parts > 0,
    }
}

fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn is_hostname(text: &str) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// RFC 5321 `Mailbox`: a dot-atom or quoted local part, a host name or an address literal.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b);
    let local_ok = if let Some(quoted) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        quoted.bytes().all(|b| (b' '..=b'~').contains(&b))
    } else {
        !local.is_empty()
            && local
                .split('.')
                .all(|atom| !atom.is_empty() && atom.bytes().all(atext))
    };
    let domain_ok =
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            match literal.strip_prefix("IPv6:") {
                Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
                None => literal.parse::<std::net::Ipv4Addr>().is_ok(),
            }
        } else {
            is_hostname(domain)
        };
    local.len() <= 64 && local_ok && domain_ok
}

/// RFC 3986: the characters a URI may hold, valid percent-escapes, a scheme where one is
/// required (or where a colon comes before the first `/`, `?` or `#`), and a bracketed IP literal
/// only as the host.
fn is_uri(text: &str, absolute: bool) -> bool {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b);
    if !text.bytes().all(allowed) {
        return false;
    }
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return false;
        }
    }
    let first_delimiter = text.find(['/', '?', '#']).unwrap_or(text.len());
    let rest = match text[..first_delimiter].find(':') {
        Some(colon) => {
            let scheme = &text[..colon];
            let scheme_ok = scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            if !scheme_ok {
                return false;
            }
            &text[colon + 1..]
        }
        None if absolute => return false,
        None => text,
    };
    // Brackets belong to an IP literal host: `//[::1]:8080/...`.
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => after.split_at(after.find(['/', '?', '#']).unwrap_or(after.len())),
        None => ("", rest),
    };
    if path.contains(['[', ']']) {
        return false;
    }
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    match host.strip_prefix('[') {
        Some(literal) => literal.split_once(']').is_some_and(|(ip, port)| {
            !ip.contains(['[', ']'])
                && (ip.parse::<std::net::Ipv6Addr>().is_ok() || ip.starts_with(['v', 'V']))
                && (port.is_empty()
                    || port
                        .strip_prefix(':')
                        .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())))
        }),
        None => !host.contains(['[', ']']),
    }
}

/// `format: byte`: base64 (RFC 4648 §4, or the URL-safe alphabet of §5), padding optional.
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && !text.len().is_multiple_of(4)) || body.len() % 4 == 1 {
        return false;
    }
    let standard = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let url_safe = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    standard || url_safe
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(format: Format, valid: &[&str], invalid: &[&str]) {
        for value in valid {
            assert!(
                format.accepts(value),
                "{} should accept {value:?}",
                format.name()
            );
        }
        for value in invalid {
            assert!(
                !format.accepts(value),
                "{} should refuse {value:?}",
                format.name()
            );
        }
    }

    #[test]
    fn dates_and_times() {
        table(
            Format::DateTime,
            &[
                "2024-02-29T12:30:00Z",
                "1990-12-31t23:59:60.5+01:00",
                "2024-01-01T00:00:00.123-08:00",
            ],
            &[
                "yesterday",
                "2023-02-29T12:00:00Z",
                "2024-01-01 00:00:00Z",
                "2024-01-01T00:00:00",
                "2024-01-01T24:00:00Z",
            ],
        );
        table(
            Format::Date,
            &["2024-02-29", "2000-02-29"],
            &[
                "1900-02-29",
                "2024-13-01",
                "2024-1-01",
                "20240101",
                "２０２４-01-01",
            ],
        );
        table(
            Format::Time,
            &["12:30:00Z", "23:59:59.999+14:00"],
            &["12:30:00", "12:30", "25:00:00Z", "12:30:00+1:00"],
        );
        table(
            Format::Duration,
            &["P1D", "PT1H", "P1Y2M3DT4H5M6S", "P4W", "PT0S"],
            &["P", "PT", "P1H", "1D", "P1D2Y", "PT1H2H", "P1.5D", "PW"],
        );
    }

    #[test]
    fn identifiers_and_addresses() {
        table(
            Format::Uuid,
            &["123e4567-e89b-12d3-a456-426614174000"],
            &[
                "../../etc/passwd",
                "123e4567e89b12d3a456426614174000",
                "123e4567-e89b-12d3-a456-42661417400g",
            ],
        );
        table(
            Format::Email,
            &[
                "a@example.com",
                "first.last+tag@sub.example.org",
                "\"a b\"@example.com",
                "x@[127.0.0.1]",
            ],
            &[
                "nope",
                "@example.com",
                "a@",
                "a..b@example.com",
                "a@-bad.com",
            ],
        );
        table(
            Format::Hostname,
            &["example.com", "a-b.c", "localhost", "example.com."],
            &["-a.com", "a_b.com", "", "a..b", &"a".repeat(64)],
        );
        table(
            Format::Ipv4,
            &["127.0.0.1", "255.255.255.255"],
            &["256.0.0.1", "1.2.3", "01.2.3.4", "::1"],
        );
        table(
            Format::Ipv6,
            &["::1", "2001:db8::8a2e:370:7334", "::ffff:1.2.3.4"],
            &["127.0.0.1", "2001:db8:::1", "fe80::1%eth0"],
        );
    }

    #[test]
    fn uris_and_bytes() {
        table(
            Format::Uri,
            &[
                "https://example.com/a?b=c#d",
                "urn:isbn:0451450523",
                "http://[::1]:8080/x",
                "mailto:a@b.c",
            ],
            &[
                "/relative",
                "example.com",
                "http://exa mple.com",
                "http://x/%zz",
                "1http://x",
                "http://x/[a]",
            ],
        );
        table(
            Format::UriReference,
            &["/relative?x=1", "../up", "#frag", "", "https://example.com"],
            &["a b", "%", "\\windows"],
        );
        table(
            Format::Byte,
            &["aGVsbG8=", "aGVsbG8", "aGk_-w", ""],
            &["not base64!", "a", "aGVsbG8==="],
        );
    }

    #[test]
    fn floats() {
        let mut errors = Errors::new();
        check_float_range(&3.4e38, &At::body(), &mut errors);
        assert!(errors.is_empty());
        check_float_range(&1e39, &At::body(), &mut errors);
        assert_eq!(errors.len(), 1);
    }
}
