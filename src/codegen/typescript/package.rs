//! The npm package around the generated client: its name, version and license, from the options
//! (flags or `oaskit.toml`) or else from the spec's `info`, checked against npm's rules so that
//! `npm publish` takes the package as generated.

use super::super::{CodegenError, PackageOptions};
use crate::model::Info;

/// What `package.json` and the README say about the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageMeta {
    pub name: String,
    pub version: String,
    /// An SPDX expression, or `UNLICENSED` (npm's word for "no rights granted") when neither the
    /// options nor `info.license` name one.
    pub license: String,
    pub repository: Option<String>,
    /// Why the version is 0.0.0 (for a generation warning), when `info.version` gave none.
    pub version_note: Option<String>,
}

impl PackageMeta {
    pub fn new(info: &Info, options: &PackageOptions) -> Result<Self, CodegenError> {
        let name = match &options.name {
            Some(name) => {
                check_name(name).map_err(|why| {
                    CodegenError::Unsupported(format!("package name `{name}` {why}"))
                })?;
                name.clone()
            }
            None => package_name(&info.title),
        };
        let (version, version_note) = match &options.version {
            Some(version) => {
                if !is_semver(version) {
                    return Err(CodegenError::Unsupported(format!(
                        "package version `{version}` is not a semantic version (MAJOR.MINOR.PATCH, \
                         e.g. 1.4.0 or 2.0.0-beta.1)"
                    )));
                }
                (version.clone(), None)
            }
            None => package_version(&info.version),
        };
        let license = match &options.license {
            Some(license) => {
                if !is_license_expression(license) {
                    return Err(CodegenError::Unsupported(format!(
                        "license `{license}` is not an SPDX license expression (e.g. MIT, \
                         Apache-2.0, MIT OR Apache-2.0) nor UNLICENSED"
                    )));
                }
                license.clone()
            }
            None => spec_license(info).unwrap_or_else(|| "UNLICENSED".to_string()),
        };
        let repository = match &options.repository {
            Some(url) if !is_repository(url) => {
                return Err(CodegenError::Unsupported(format!(
                    "repository `{url}` is not an https:// or git+https:// URL, nor github:owner/name"
                )));
            }
            other => other.clone(),
        };
        Ok(PackageMeta {
            name,
            version,
            license,
            repository,
            version_note,
        })
    }
}

/// An npm package name from the spec's title: `Petstore` → `petstore-client`.
pub fn package_name(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "api" } else { slug };
    let slug: String = slug.chars().take(150).collect();
    format!("{}-client", slug.trim_end_matches('-'))
}

/// The package version for `info.version`: a semantic version as it is; a date `2022-11-28`
/// (Stripe, GitHub, OpenAI's dated versions) as `2022.11.28`, which npm orders as the dates;
/// `v2`, `2` and `2.1` completed to `2.0.0` and `2.1.0` (as the README says); anything else
/// `0.0.0`, with a note saying to pass a version.
pub fn package_version(version: &str) -> (String, Option<String>) {
    let version = version.trim();
    if is_semver(version) {
        return (version.to_string(), None);
    }
    let bare = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let numbers: Option<Vec<u64>> = bare
        .split(['.', '-'])
        .map(|p| {
            if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                p.parse().ok()
            }
        })
        .collect();
    let derived = match numbers.as_deref() {
        Some([y, m, d]) if bare.contains('-') && (1..=12).contains(m) && (1..=31).contains(d) => {
            Some(format!("{y}.{m}.{d}"))
        }
        Some([major]) if !bare.contains('-') => Some(format!("{major}.0.0")),
        Some([major, minor]) if !bare.contains('-') => Some(format!("{major}.{minor}.0")),
        _ => None,
    };
    match derived {
        Some(derived) => (derived, None),
        None => (
            "0.0.0".to_string(),
            Some(format!(
                "package version 0.0.0: info.version `{version}` is not a semantic version, a \
                 date or a major[.minor] version (pass --package-version)"
            )),
        ),
    }
}

/// `info.license.identifier` (3.1), else a `name` that is an SPDX expression (`MIT`,
/// `Apache 2.0` written with a space is not one and is left out).
fn spec_license(info: &Info) -> Option<String> {
    let license = info.license.as_ref()?;
    [license.identifier.as_deref(), Some(license.name.as_str())]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|l| is_license_expression(l))
        .map(str::to_string)
}

/// npm's rules for a package name: at most 214 characters, lowercase, URL-safe, not starting
/// with `.` or `_`, optionally scoped (`@scope/name`).
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 214 {
        return Err("must have 1 to 214 characters");
    }
    let bare = match name.strip_prefix('@') {
        Some(scoped) => {
            let Some((scope, bare)) = scoped.split_once('/') else {
                return Err("is scoped but has no `/name`");
            };
            if !is_name_part(scope) {
                return Err(
                    "has a scope that is not lowercase letters, digits, `-`, `.`, `_` or `~`",
                );
            }
            bare
        }
        None => name,
    };
    if !is_name_part(bare) {
        return Err(
            "must be lowercase letters, digits, `-`, `.`, `_` or `~`, not starting with `.` or `_`",
        );
    }
    Ok(())
}

fn is_name_part(part: &str) -> bool {
    !part.is_empty()
        && !part.starts_with(['.', '_'])
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._~".contains(&b))
}

/// `MAJOR.MINOR.PATCH` with an optional `-prerelease` and `+build`, numbers without leading zeros.
fn is_semver(version: &str) -> bool {
    let (core, rest) = match version.find(['-', '+']) {
        Some(i) => version.split_at(i),
        None => (version, ""),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let number = |n: &&str| {
        !n.is_empty()
            && n.len() <= 15
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    let identifiers = |s: &str| {
        s.split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let (pre, build) = match rest.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (rest, None),
    };
    numbers.len() == 3
        && numbers.iter().all(number)
        && pre.strip_prefix('-').is_none_or(identifiers)
        && (pre.is_empty() || pre.starts_with('-'))
        && build.is_none_or(identifiers)
}

/// An SPDX license expression as npm takes it (ids joined by `AND`/`OR`/`WITH`, parentheses),
/// or `UNLICENSED`: checked for shape, not against the SPDX list.
fn is_license_expression(license: &str) -> bool {
    let words: Vec<&str> = license
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && license.len() <= 200
        && words.iter().enumerate().all(|(i, w)| {
            let operator = matches!(*w, "AND" | "OR" | "WITH");
            // Operators stand between ids, never first or last.
            if operator {
                i > 0 && i + 1 < words.len()
            } else {
                w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.+:".contains(&b))
                    && w.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            }
        })
        && words.windows(2).all(|pair| {
            let op = |w: &str| matches!(w, "AND" | "OR" | "WITH");
            op(pair[0]) != op(pair[1])
        })
}

fn is_repository(url: &str) -> bool {
    let safe = url
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"\"\\<>`".contains(&b));
    safe && (url.starts_with("https://")
        || url.starts_with("git+https://")
        || url
            .strip_prefix("github:")
            .is_some_and(|r| r.split('/').count() == 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::License;

    #[test]
    fn names_from_titles_are_valid_for_npm() {
        assert_eq!(package_name("Petstore"), "petstore-client");
        assert_eq!(
            package_name("GitHub v3 REST API"),
            "github-v3-rest-api-client"
        );
        assert_eq!(package_name("宠物"), "api-client");
        assert!(check_name(&package_name("GitHub v3 REST API")).is_ok());
    }

    #[test]
    fn given_names_follow_npm_rules() {
        assert!(check_name("@acme/pets").is_ok());
        assert!(check_name("pets-sdk").is_ok());
        assert!(check_name("Pets").is_err());
        assert!(check_name("_pets").is_err());
        assert!(check_name("@acme").is_err());
        assert!(check_name("pets sdk").is_err());
        assert!(check_name("pets\"],\"x\":\"").is_err());
        assert!(check_name(&"a".repeat(215)).is_err());
    }

    #[test]
    fn versions_from_info_version() {
        assert_eq!(package_version("1.2.3"), ("1.2.3".to_string(), None));
        assert_eq!(package_version("2.0.0-beta.1").0, "2.0.0-beta.1");
        // Dated versions (Stripe, GitHub, OpenAI) keep their order as npm versions.
        assert_eq!(package_version("2022-11-28").0, "2022.11.28");
        assert_eq!(package_version("2024-09-01").0, "2024.9.1");
        assert!(package_version("2022-11-28").1.is_none());
        assert!(package_version("latest").1.is_some());
        assert_eq!(package_version("v3").0, "3.0.0");
        assert_eq!(package_version("1.0").0, "1.0.0");
        assert_eq!(package_version("2.3.1-RC1").0, "2.3.1-RC1");
        assert_eq!(package_version("latest").0, "0.0.0");
        assert_eq!(package_version("2022-13-01").0, "0.0.0");
        assert_eq!(package_version("01.2.3").0, "0.0.0");
    }

    #[test]
    fn semantic_versions() {
        for ok in [
            "0.0.0",
            "1.2.3",
            "1.2.3-alpha.1",
            "1.2.3+build.5",
            "10.0.0-rc-1+x",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "1.2",
            "01.2.3",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "v1.2.3",
            "1.2.3 ",
            "",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn licenses_from_options_then_the_spec() {
        let mut info = Info::default();
        let none = PackageOptions::default();
        assert_eq!(
            PackageMeta::new(&info, &none).unwrap().license,
            "UNLICENSED"
        );
        info.license = Some(License {
            name: "Apache 2.0".into(),
            identifier: None,
            url: Some("https://www.apache.org/licenses/LICENSE-2.0.html".into()),
        });
        // `Apache 2.0` is a name, not an SPDX id: nothing is claimed.
        assert_eq!(
            PackageMeta::new(&info, &none).unwrap().license,
            "UNLICENSED"
        );
        info.license = Some(License {
            name: "MIT".into(),
            identifier: None,
            url: None,
        });
        assert_eq!(PackageMeta::new(&info, &none).unwrap().license, "MIT");
        let given = PackageOptions {
            license: Some("MIT OR Apache-2.0".into()),
            ..PackageOptions::default()
        };
        assert_eq!(
            PackageMeta::new(&info, &given).unwrap().license,
            "MIT OR Apache-2.0"
        );
        for bad in ["MIT OR", "OR MIT", "MIT AND OR X", "\"MIT\"", "MIT, BSD"] {
            let bad = PackageOptions {
                license: Some(bad.into()),
                ..PackageOptions::default()
            };
            assert!(PackageMeta::new(&info, &bad).is_err());
        }
    }

    #[test]
    fn repositories_are_urls() {
        assert!(is_repository("https://github.com/acme/pets"));
        assert!(is_repository("git+https://github.com/acme/pets.git"));
        assert!(is_repository("github:acme/pets"));
        assert!(!is_repository("javascript:alert(1)"));
        assert!(!is_repository("https://x/\"y"));
        assert!(!is_repository("file:///etc/passwd"));
    }
}
