//! Sequence comparison: the longest common subsequence of two lists, which says what was
//! added, what was removed, and (for items with identities, such as step ids) what moved.

/// Indices of a longest common subsequence of `a` and `b`, as (index in a, index in b) pairs
/// in order. Plans hold tens of items, so the quadratic table is cheap.
pub fn lcs<T: PartialEq>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    // table[i][j]: the LCS length of a[i..] and b[j..].
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// What changed between two lists of values: the items only in `a` (removed) and only in
/// `b` (added), each with its index, in order.
pub struct Edits<'a, T> {
    pub removed: Vec<(usize, &'a T)>,
    pub added: Vec<(usize, &'a T)>,
}

pub fn edits<'a, T: PartialEq>(a: &'a [T], b: &'a [T]) -> Edits<'a, T> {
    let common = lcs(a, b);
    let in_a: Vec<usize> = common.iter().map(|p| p.0).collect();
    let in_b: Vec<usize> = common.iter().map(|p| p.1).collect();
    Edits {
        removed: a
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_a.contains(i))
            .collect(),
        added: b
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_b.contains(i))
            .collect(),
    }
}

/// Items present in both lists (unique ids) that are not in their longest common order:
/// they moved. Returns (id, index in a, index in b), in the order of `b`.
pub fn moved<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(&'a str, usize, usize)> {
    let common_a: Vec<&str> = a.iter().copied().filter(|x| b.contains(x)).collect();
    let common_b: Vec<&str> = b.iter().copied().filter(|x| a.contains(x)).collect();
    let kept: Vec<&str> = lcs(&common_a, &common_b)
        .iter()
        .map(|&(i, _)| common_a[i])
        .collect();
    b.iter()
        .enumerate()
        .filter(|(_, id)| common_b.contains(*id) && !kept.contains(*id))
        .filter_map(|(j, id)| a.iter().position(|x| x == id).map(|i| (*id, i, j)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{edits, lcs, moved};

    #[test]
    fn the_common_subsequence_is_a_longest_one_in_order() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "", 0),
            ("abc", "", 0),
            ("", "abc", 0),
            ("abc", "abc", 3),
            ("abc", "axc", 2),
            ("abcd", "acbd", 3),
            ("abc", "cba", 1),
            ("aab", "ab", 2),
        ];
        for (a, b, len) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let common = lcs(&a, &b);
            assert_eq!(common.len(), *len, "{a:?} {b:?}");
            for w in common.windows(2) {
                assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1);
            }
            for (i, j) in common {
                assert_eq!(a[i], b[j]);
            }
        }
    }

    #[test]
    fn edits_name_what_only_one_side_has() {
        let a = ["x", "y", "z"];
        let b = ["x", "w", "z", "z"];
        let e = edits(&a, &b);
        assert_eq!(e.removed, vec![(1, &"y")]);
        assert_eq!(e.added, vec![(1, &"w"), (3, &"z")]);
    }

    #[test]
    fn moves_are_the_common_ids_out_of_order() {
        type Moves<'a> = &'a [(&'a str, usize, usize)];
        let cases: &[(&[&str], &[&str], Moves)] = &[
            (&["a", "b", "c"], &["a", "b", "c"], &[]),
            (&["a", "b", "c"], &["a", "c", "b"], &[("b", 1, 2)]),
            (&["a", "b", "c", "d"], &["d", "a", "b", "c"], &[("d", 3, 0)]),
            // Inserting or removing others is no move.
            (&["a", "b"], &["x", "a", "y", "b"], &[]),
            (&["a", "x", "b"], &["a", "b"], &[]),
        ];
        for (a, b, want) in cases {
            assert_eq!(moved(a, b), want.to_vec(), "{a:?} -> {b:?}");
        }
    }
}
