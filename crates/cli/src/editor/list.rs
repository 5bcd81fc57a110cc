//! The list every pane shows: column headers, rows of text, the selected row, and the
//! case-insensitive search of `/`.

/// A pane's rows as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Column headers.
    pub headers: Vec<String>,
    /// The rows, one text per column.
    pub rows: Vec<Vec<String>>,
    /// The selected row (0 when there are none).
    pub selected: usize,
}

impl Rows {
    /// Rows under `headers`.
    pub fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Rows {
        Rows { headers: headers.iter().map(|h| h.to_string()).collect(), rows, selected: 0 }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Moves the selection by `delta` rows, staying inside the list.
    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.rows.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects the first or the last row.
    pub fn select_edge(&mut self, last: bool) {
        self.selected = if last { self.rows.len().saturating_sub(1) } else { 0 };
    }

    /// Selects row `i` when it exists.
    pub fn select(&mut self, i: usize) {
        if i < self.rows.len() {
            self.selected = i;
        }
    }

    /// The first row whose text (any column) contains `needle`, ignoring case.
    pub fn find(&self, needle: &str) -> Option<usize> {
        let needle = needle.to_lowercase();
        if needle.is_empty() {
            return None;
        }
        self.rows.iter().position(|r| r.iter().any(|c| c.to_lowercase().contains(&needle)))
    }

    /// The selected row's text in column `col`.
    pub fn cell(&self, col: usize) -> Option<&str> {
        self.rows.get(self.selected).and_then(|r| r.get(col)).map(String::as_str)
    }

    /// Replaces the rows, keeping the selection inside the new list.
    pub fn replace(&mut self, rows: Vec<Vec<String>>) {
        self.rows = rows;
        self.move_by(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_case_insensitive_and_takes_the_first_match() {
        let r = Rows::new(
            &["name"],
            vec![vec!["PR_PROFILE_NAME".into()], vec!["PR_PROFILE_CONNECT_FLAGS".into()], vec!["x".into()]],
        );
        assert_eq!(r.find("connect"), Some(1));
        assert_eq!(r.find("PR_PROFILE"), Some(0));
        assert_eq!(r.find("nothing"), None);
        assert_eq!(r.find(""), None);
    }

    #[test]
    fn moves_stay_inside_the_list() {
        let mut r = Rows::new(&["a"], vec![vec!["1".into()], vec!["2".into()]]);
        r.move_by(-3);
        assert_eq!(r.selected, 0);
        r.move_by(10);
        assert_eq!(r.selected, 1);
        r.replace(vec![vec!["only".into()]]);
        assert_eq!(r.selected, 0);
    }
}
