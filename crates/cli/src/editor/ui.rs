//! Drawing the editor with ratatui: the pane on top of the stack as a table, the events of `w`
//! under it, the status (or input) line at the bottom, and the help and bit-list overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap,
};

use super::app::App;
use super::help::KEYS;

/// Widest a column grows before the last one takes the rest.
const MAX_COLUMN: usize = 40;
/// What the name column keeps while others can give (PR_PROFILE_CONNECT_FLAGS and most names).
const NAME_COLUMN: usize = 26;
/// Narrowest a column is squeezed to.
const MIN_COLUMN: usize = 6;
/// Lines of the events pane when something is watched.
const EVENT_LINES: u16 = 6;

/// Draws the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    let watching = app.ctx.online.as_ref().and_then(|o| o.watching()).is_some() || !app.ctx.events.is_empty();
    let events_h = if watching && area.height > 16 { EVENT_LINES } else { 0 };
    // A long status (an error with its hint) gets a second line.
    let long = app.input_line().is_none() && app.status.chars().count() > area.width as usize;
    let status_h = if long { 2 } else { 1 };
    let [main, events, status] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(events_h), Constraint::Length(status_h)])
            .areas(area);
    draw_pane(f, app, main);
    if events_h > 0 {
        draw_events(f, app, events);
    }
    draw_status(f, app, status);
    if let Some(b) = app.bits() {
        draw_bits(f, b, main);
    }
    if app.help {
        draw_help(f, main);
    }
}

fn draw_pane(f: &mut Frame, app: &App, area: Rect) {
    let pane = app.top();
    let rows = pane.rows();
    let ncols = rows.headers.len().max(rows.rows.first().map_or(0, |r| r.len()));
    let mut widths: Vec<usize> = vec![1; ncols];
    for (i, h) in rows.headers.iter().enumerate() {
        widths[i] = widths[i].max(h.chars().count());
    }
    for r in &rows.rows {
        for (i, c) in r.iter().enumerate().take(ncols) {
            widths[i] = widths[i].max(c.chars().count().min(MAX_COLUMN));
        }
    }
    let avail = (area.width as usize).saturating_sub(2 + ncols.saturating_sub(1));
    let keep = rows.headers.iter().position(|h| !h.is_empty()).unwrap_or(0);
    fit(&mut widths, avail, keep);
    let constraints: Vec<Constraint> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| if i + 1 == ncols { Constraint::Fill(1) } else { Constraint::Length(*w as u16) })
        .collect();
    let header = Row::new(rows.headers.iter().map(|h| Cell::from(h.as_str())))
        .style(Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let body = rows.rows.iter().map(|r| Row::new(r.iter().map(|c| Cell::from(c.as_str()))));
    let (depth, kind) = (app.stack.len(), pane.kind());
    let title = format!(" {} ", pane.title());
    let table = Table::new(body, constraints)
        .header(header)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .title_bottom(format!(" {kind} · {depth} deep · ? keys ")),
        )
        .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
        .column_spacing(1);
    let mut state = TableState::default();
    if !rows.rows.is_empty() {
        state.select(Some(rows.selected));
    }
    f.render_stateful_widget(table, area, &mut state);
}

/// Narrows the widest columns, one character at a time, until the row fits `avail` (a column
/// keeps at least [`MIN_COLUMN`] characters): every column stays readable on a narrow screen.
/// Column `keep` (the name of each row: the property, the subject) keeps [`NAME_COLUMN`]
/// characters until the others are at their minimum.
fn fit(widths: &mut [usize], avail: usize, keep: usize) {
    while widths.iter().sum::<usize>() > avail {
        let widest = |keep_floor: usize| {
            widths
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, w)| *w > if *i == keep { keep_floor } else { MIN_COLUMN })
                .max_by_key(|(_, w)| *w)
                .map(|(i, _)| i)
        };
        match widest(NAME_COLUMN).or_else(|| widest(MIN_COLUMN)) {
            Some(i) => widths[i] -= 1,
            None => return,
        }
    }
}

fn draw_events(f: &mut Frame, app: &App, area: Rect) {
    let label = app
        .ctx
        .online
        .as_ref()
        .and_then(|o| o.watching())
        .map(|w| format!(" events: {w} "))
        .unwrap_or(" events ".into());
    let n = area.height.saturating_sub(2) as usize;
    let lines: Vec<Line> =
        app.ctx.events.iter().rev().take(n).rev().map(|e| Line::from(e.as_str())).collect();
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(label)), area);
}

fn draw_status(f: &mut Frame, app: &App, area: Rect) {
    let line = match app.input_line() {
        Some((label, text)) => Line::from(vec![
            Span::styled(label, Style::default().add_modifier(Modifier::BOLD)),
            Span::raw(text),
            Span::styled("█", Style::default()),
        ]),
        None => Line::from(app.status.as_str()),
    };
    f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn draw_help(f: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    for (group, keys) in KEYS {
        lines.push(Line::from(Span::styled(*group, Style::default().add_modifier(Modifier::BOLD))));
        for (k, what) in *keys {
            lines.push(Line::from(format!("  {k:<10} {what}")));
        }
    }
    let h = lines.len() as u16 + 2;
    let r = centered(area, 78, h);
    f.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(" Help — Keys (any key closes) ");
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), r);
}

fn draw_bits(f: &mut Frame, b: &super::app::BitsEdit, area: Rect) {
    let items: Vec<ListItem> = b
        .names
        .iter()
        .map(|(bit, name)| {
            let on = if b.value & bit == *bit { "[x]" } else { "[ ]" };
            ListItem::new(format!("{on} 0x{bit:08X} {name}"))
        })
        .collect();
    let h = items.len() as u16 + 2;
    let title = format!(" {} = 0x{:08X} (Space, Enter, Esc) ", b.name, b.value);
    let longest = b.names.iter().map(|(_, n)| n.len() + 17).max().unwrap_or(0);
    let r = centered(area, (title.chars().count().max(longest) + 2) as u16, h);
    f.render_widget(Clear, r);
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default();
    state.select(Some(b.selected));
    f.render_stateful_widget(list, r, &mut state);
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_narrow_widest_first_keep_the_name_and_a_minimum() {
        // The property pane at 80 columns: 78 inside the border, 5 column gaps.
        let mut w = vec![1, 40, 10, 10, 19, 26];
        super::fit(&mut w, 73, 1);
        assert!(w.iter().sum::<usize>() <= 73, "{w:?}");
        assert!(w[1] >= 24, "PR_PROFILE_CONNECT_FLAGS (24) stays whole: {w:?}");
        assert!(w[4] >= 10 && w[5] >= 10, "values and decoded views keep some room: {w:?}");
        assert_eq!((w[2], w[3]), (10, 10), "narrow columns are left alone: {w:?}");
        let mut tight = vec![30, 30];
        super::fit(&mut tight, 4, 0);
        assert_eq!(tight, [6, 6]);
    }
}
