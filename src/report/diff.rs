//! What changed between two renderings of a report, line by line (longest common subsequence).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// The lines of `old` and `new` in order, each marked same, added or removed.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<(Change, &'a str)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Common prefix and suffix first: reports differ in a few places, so the table stays small.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (n, m) = (a_mid.len(), b_mid.len());
    // lcs[i][j]: the longest common subsequence of a_mid[i..] and b_mid[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a_mid[i] == b_mid[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<(Change, &str)> = a[..prefix].iter().map(|l| (Change::Same, *l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a_mid[i] == b_mid[j] {
            out.push((Change::Same, a_mid[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push((Change::Added, b_mid[j]));
            j += 1;
        } else {
            out.push((Change::Removed, a_mid[i]));
            i += 1;
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| (Change::Same, *l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Change::*;

    #[test]
    fn changed_lines_are_marked_and_the_rest_kept_in_order() {
        let old = "a\nb\nc\nd";
        let new = "a\nB\nc\nd\ne";
        assert_eq!(
            lines(old, new),
            vec![(Same, "a"), (Added, "B"), (Removed, "b"), (Same, "c"), (Same, "d"), (Added, "e")]
        );
        assert!(lines(old, old).iter().all(|(c, _)| *c == Same));
        assert_eq!(lines("", "x"), vec![(Added, "x")]);
        assert_eq!(lines("x", ""), vec![(Removed, "x")]);
    }
}
