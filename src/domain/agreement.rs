//! How far a panel's reviewers agree: per standard (unanimous / majority / split) and overall
//! (Fleiss' kappa), for the chair's calibration.

use super::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Every voter gave the same outcome.
    Unanimous,
    /// More than half gave the same outcome.
    Majority,
    /// No outcome has more than half.
    Split,
}

impl Agreement {
    pub fn label(self) -> &'static str {
        match self {
            Agreement::Unanimous => "unanimous",
            Agreement::Majority => "majority",
            Agreement::Split => "split",
        }
    }
}

/// Per-outcome counts of one standard's judgements, in `Outcome::ALL` order.
pub fn counts(outcomes: &[Outcome]) -> [usize; 3] {
    let mut counts = [0; 3];
    for o in outcomes {
        counts[Outcome::ALL.iter().position(|x| x == o).expect("every outcome is in ALL")] += 1;
    }
    counts
}

/// The agreement among one standard's judgements; `None` with fewer than two.
pub fn of(outcomes: &[Outcome]) -> Option<Agreement> {
    if outcomes.len() < 2 {
        return None;
    }
    let top = counts(outcomes).into_iter().max().unwrap_or(0);
    Some(if top == outcomes.len() {
        Agreement::Unanimous
    } else if top * 2 > outcomes.len() {
        Agreement::Majority
    } else {
        Agreement::Split
    })
}

/// The share of agreeing rater pairs across subjects (Fleiss' P̄): read beside kappa, which is
/// low whenever nearly every judgement is the same outcome, however well raters agree.
pub fn observed_agreement(subjects: &[Vec<usize>]) -> Option<f64> {
    let rated: Vec<&Vec<usize>> = subjects.iter().filter(|s| s.iter().sum::<usize>() >= 2).collect();
    if rated.is_empty() {
        return None;
    }
    Some(rated.iter().map(|s| pair_agreement(s)).sum::<f64>() / rated.len() as f64)
}

/// The share of one subject's rater pairs that agree.
fn pair_agreement(subject: &[usize]) -> f64 {
    let n = subject.iter().sum::<usize>() as f64;
    (subject.iter().map(|&c| (c * c) as f64).sum::<f64>() - n) / (n * (n - 1.0))
}

/// Fleiss' kappa over subjects given as per-category rating counts.
///
/// Each subject needs at least two ratings. Subjects may have different numbers of raters
/// (a lay member judging some standards only): each subject's agreement is computed over its
/// own raters, and the category proportions over all ratings, which is Fleiss' formula when
/// every subject has the same number. `None` when there is nothing to measure (no subject, or
/// every rating in one category, where kappa is undefined).
pub fn fleiss_kappa(subjects: &[Vec<usize>]) -> Option<f64> {
    let subjects: Vec<&Vec<usize>> = subjects.iter().filter(|s| s.iter().sum::<usize>() >= 2).collect();
    if subjects.is_empty() {
        return None;
    }
    let categories = subjects.iter().map(|s| s.len()).max().unwrap_or(0);
    let total: usize = subjects.iter().map(|s| s.iter().sum::<usize>()).sum();
    let mut category_totals = vec![0usize; categories];
    for s in &subjects {
        for (j, &n) in s.iter().enumerate() {
            category_totals[j] += n;
        }
    }
    let p_bar: f64 = subjects.iter().map(|s| pair_agreement(s)).sum::<f64>() / subjects.len() as f64;
    let p_e: f64 = category_totals.iter().map(|&c| (c as f64 / total as f64).powi(2)).sum();
    if (1.0 - p_e).abs() < f64::EPSILON {
        return None;
    }
    Some((p_bar - p_e) / (1.0 - p_e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    #[test]
    fn per_standard_agreement() {
        assert_eq!(of(&[Met, Met, Met]), Some(Agreement::Unanimous));
        assert_eq!(of(&[Met, Met, PartiallyMet]), Some(Agreement::Majority));
        assert_eq!(of(&[Met, PartiallyMet, NotMet]), Some(Agreement::Split));
        assert_eq!(of(&[Met, NotMet]), Some(Agreement::Split), "one each is no majority");
        assert_eq!(of(&[Met]), None);
    }

    /// The worked example of Fleiss (1971) as given on Wikipedia's "Fleiss' kappa" page:
    /// 10 subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
    #[test]
    fn fleiss_kappa_matches_the_worked_example() {
        let table = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        let kappa = fleiss_kappa(&table).unwrap();
        assert!((kappa - 0.210).abs() < 0.001, "{kappa}");
        let observed = observed_agreement(&table).unwrap();
        assert!((observed - 0.378).abs() < 0.001, "{observed}");
    }

    #[test]
    fn perfect_agreement_is_one_and_undefined_cases_are_none() {
        let kappa = fleiss_kappa(&[vec![3, 0, 0], vec![0, 3, 0], vec![0, 0, 3]]).unwrap();
        assert!((kappa - 1.0).abs() < 1e-9);
        assert_eq!(fleiss_kappa(&[vec![3, 0, 0], vec![3, 0, 0]]), None, "all in one category");
        assert_eq!(fleiss_kappa(&[]), None);
        assert_eq!(fleiss_kappa(&[vec![1, 0, 0]]), None, "one rating is no agreement");
    }
}
