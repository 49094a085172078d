//! CSV export of a job's report or a preview: RFC 4180 (quoted where needed, CRLF lines), with
//! cells that a spreadsheet would run as a formula made inert.

/// A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets; a
/// workflow's document name is user input, so it could carry one (OWASP "CSV injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn cell(text: &str) -> String {
    let guarded = if text.starts_with(FORMULA_STARTS) { format!("'{text}") } else { text.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn line(cells: impl Iterator<Item = String>) -> String {
    let mut out = cells.collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// The header line and a line per row, each ending in CRLF.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = line(header.iter().map(|h| cell(h)));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| cell(c))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_as_rfc_4180_says() {
        let rows = vec![
            vec!["w1".to_string(), "Deal, big".to_string(), "say \"hi\"".to_string()],
            vec!["w2".to_string(), "two\nlines".to_string(), String::new()],
        ];
        assert_eq!(csv(&["id", "name", "note"], &rows), "id,name,note\r\nw1,\"Deal, big\",\"say \"\"hi\"\"\"\r\nw2,\"two\nlines\",\r\n");
        assert_eq!(csv(&["a"], &[]), "a\r\n");
    }

    #[test]
    fn formulas_are_made_inert() {
        let rows = vec![["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "a=b", "\tx"].map(String::from).to_vec()];
        assert_eq!(csv(&["c"], &rows), "c\r\n\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),a=b,'\tx\r\n");
    }
}
