//! "Did you mean": the nearest of a set of allowed names to one that was written. A typo must
//! come back with its fix (`paramters` → `parameters`, `strin` → `string`), and an unrelated
//! word must not get a random suggestion.

/// The closest candidate to `written`, if one is close enough to be a likely typo: the same name
/// in another case, or within an edit distance that grows with the length (1 for short names,
/// 2 from 5 characters, 3 from 9). Ties go to the first candidate.
pub fn nearest<'a, I>(written: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = written.to_ascii_lowercase();
    let budget = match written.chars().count() {
        0..=2 => 0,
        3..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == written {
            continue;
        }
        let distance = if candidate.eq_ignore_ascii_case(written) {
            0
        } else {
            let d = edit_distance(&lower, &candidate.to_ascii_lowercase());
            if d > budget || d >= candidate.chars().count() {
                continue;
            }
            d
        };
        if best.is_none_or(|(b, _)| distance < b) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean `x`?` when there is a near candidate, else nothing.
pub fn did_you_mean<'a, I>(written: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(written, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of adjacent characters each cost 1 (`respones` → `responses` is 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Names are short; a long value (a pasted description) is not worth a quadratic table.
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_fix() {
        let fields = ["parameters", "requestBody", "responses", "callbacks"];
        assert_eq!(nearest("paramters", fields), Some("parameters"));
        assert_eq!(nearest("requestbody", fields), Some("requestBody"));
        assert_eq!(nearest("respones", fields), Some("responses"));
        assert_eq!(nearest("reponses", fields), Some("responses"));
        assert_eq!(
            nearest("strin", ["string", "integer", "number"]),
            Some("string")
        );
        assert_eq!(nearest("paht", ["path", "query"]), Some("path"));
    }

    #[test]
    fn unrelated_words_get_no_suggestion() {
        let fields = ["parameters", "requestBody", "responses", "callbacks"];
        assert_eq!(nearest("produces", fields), None);
        assert_eq!(nearest("in", ["name", "id"]), None);
        assert_eq!(nearest("x", ["y"]), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
