//! Table columns that give way by priority: each column asks for the width of its widest
//! cell; the most important are placed first, a flexible column takes what is left (down to
//! its minimum, its text then cut with an ellipsis), and a column that does not fit is left
//! out (what it says is in the detail below the table).

/// One column's needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The widest cell, header included.
    pub natural: u16,
    /// What it asks for before less important columns are placed (a long flexible column
    /// would otherwise take every column there is); it grows to `natural` from what is left.
    pub want: u16,
    /// Narrower than this the column is left out; `natural` for a column that is never cut.
    pub min: u16,
    /// Lower is more important.
    pub priority: u8,
}

impl Column {
    /// A column shown whole or not at all.
    pub fn whole(natural: u16, priority: u8) -> Column {
        Column { natural, want: natural, min: natural, priority }
    }

    /// A column that may be cut down to `min` (with an ellipsis), asking first for `want`.
    pub fn flexible(natural: u16, want: u16, min: u16, priority: u8) -> Column {
        let want = want.min(natural);
        Column { natural, want, min: min.min(want), priority }
    }
}

/// The width of each column in `available` columns with `gap` between shown columns; `None` for
/// a column left out.
pub fn fit(columns: &[Column], available: u16, gap: u16) -> Vec<Option<u16>> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].priority, i));
    let mut widths = vec![None; columns.len()];
    let mut left = available;
    // A cut column never gives way to a less important one that could be cut too.
    let mut flexible_left_out = false;
    for &i in &order {
        let column = columns[i];
        let flexible = column.min < column.natural;
        let spacing = if widths.iter().any(Option::is_some) { gap } else { 0 };
        if left < column.min + spacing || (flexible && flexible_left_out) {
            flexible_left_out |= flexible;
            continue;
        }
        let width = column.want.min(left - spacing);
        widths[i] = Some(width);
        left -= width + spacing;
    }
    // What is left goes to the cut columns, most important first.
    for &i in &order {
        if let Some(width) = widths[i].as_mut() {
            let more = (columns[i].natural - *width).min(left);
            *width += more;
            left -= more;
        }
    }
    widths
}

/// The display width of the widest of `cells` (and the header).
pub fn natural(header: &str, cells: impl IntoIterator<Item = impl AsRef<str>>) -> u16 {
    let widest = cells.into_iter().map(|c| crate::text::width(c.as_ref())).max().unwrap_or(0);
    u16::try_from(widest.max(crate::text::width(header))).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_give_way_by_priority_and_the_flexible_take_what_is_left() {
        let columns = [
            Column::whole(10, 0),            // submission
            Column::flexible(30, 30, 12, 2), // programme
            Column::flexible(35, 35, 14, 4), // provider
            Column::whole(21, 6),            // stage
            Column::whole(8, 5),             // role
            Column::whole(20, 3),            // due
            Column::whole(14, 1),            // progress
        ];
        // Everything fits: every column at its natural width.
        assert_eq!(fit(&columns, 200, 1), [Some(10), Some(30), Some(35), Some(21), Some(8), Some(20), Some(14)]);
        // 116: the most important whole first; role and stage give way (both are in the detail).
        assert_eq!(fit(&columns, 116, 1), [Some(10), Some(30), Some(35), None, None, Some(20), Some(14)]);
        // 100: the provider is cut to what is left.
        assert_eq!(fit(&columns, 100, 1), [Some(10), Some(30), Some(22), None, None, Some(20), Some(14)]);
        // 56: submission, progress and the whole programme.
        assert_eq!(fit(&columns, 56, 1), [Some(10), Some(30), None, None, None, None, Some(14)]);
        // 40: the programme cut; the provider does not take its place.
        assert_eq!(fit(&columns, 40, 1), [Some(10), Some(14), None, None, None, None, Some(14)]);
        // Too narrow for even the first: nothing is forced in.
        assert_eq!(fit(&columns, 5, 1), [None; 7]);
    }

    #[test]
    fn a_long_column_asks_for_its_share_first_and_grows_from_what_is_left() {
        let columns =
            [Column::whole(10, 0), Column::flexible(85, 36, 12, 2), Column::whole(12, 1), Column::whole(8, 3)];
        assert_eq!(fit(&columns, 96, 1), [Some(10), Some(63), Some(12), Some(8)], "the role fits beside it");
        assert_eq!(fit(&columns, 200, 1), [Some(10), Some(85), Some(12), Some(8)]);
    }

    #[test]
    fn the_natural_width_counts_the_header_and_wide_characters() {
        assert_eq!(natural("Role", ["reviewer", "chair"]), 8);
        assert_eq!(natural("Programme", ["🏥 MSc"]), 9);
        assert_eq!(natural("Submission", Vec::<String>::new()), 10);
    }
}
