//! Reachability over small index graphs (schemas, generated definitions).

/// Marks every node from which a seed can be reached (seeds included): one backwards pass.
/// `edges(i)` lists the nodes `i` points at; `seed(i)` says whether `i` is a seed.
pub(crate) fn reaching(
    n: usize,
    edges: impl Fn(usize) -> Vec<usize>,
    seed: impl Fn(usize) -> bool,
) -> Vec<bool> {
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for node in 0..n {
        for child in edges(node) {
            if let Some(list) = parents.get_mut(child) {
                list.push(node);
            }
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|node| seed(*node)).collect();
    let mut marked = vec![false; n];
    for &node in &queue {
        marked[node] = true;
    }
    while let Some(node) = queue.pop() {
        for &parent in &parents[node] {
            if !marked[parent] {
                marked[parent] = true;
                queue.push(parent);
            }
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::reaching;

    #[test]
    fn marks_seeds_and_their_ancestors_only() {
        // 0 → 1 → 2 (seed), 3 → 0, 4 alone, 2 → 0 (a cycle).
        let edges = |i: usize| match i {
            0 => vec![1],
            1 => vec![2],
            2 => vec![0],
            3 => vec![0],
            _ => vec![],
        };
        assert_eq!(
            reaching(5, edges, |i| i == 2),
            [true, true, true, true, false]
        );
        assert_eq!(reaching(5, edges, |_| false), [false; 5]);
    }
}
