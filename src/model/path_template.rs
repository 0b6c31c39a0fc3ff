//! Path templates (`/pets/{petId}/photos/{photoId}`): their parameter names, and their shape,
//! under which templates that differ only in parameter names are one path.

/// The names in a path template, in order: `/pets/{petId}/photos/{photoId}` → `[petId, photoId]`.
/// An unterminated `{` ends the list.
pub fn names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    names
}

/// `/pets/{petId}` → `/pets/{}`: `/pets/{id}` and `/pets/{petId}` are the same template.
pub fn shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    shape.push_str("{}");
                }
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => shape.push(c),
            _ => {}
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_order() {
        assert_eq!(
            names("/pets/{petId}/photos/{photoId}"),
            vec!["petId", "photoId"]
        );
        assert_eq!(names("/a/{unterminated"), Vec::<&str>::new());
    }

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(shape("/pets/{id}"), shape("/pets/{petId}"));
        assert_eq!(shape("/pets/{petId}/toys/{toy_id}"), "/pets/{}/toys/{}");
        assert_ne!(shape("/pets/{id}"), shape("/pets/{id}/x"));
        assert_eq!(shape("/files/{name}.{ext}"), "/files/{}.{}");
    }
}
