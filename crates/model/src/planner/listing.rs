//! Every page of a list method: the first page alone (its `total` says how many pages there are),
//! then the rest 50 pages to a `batch` call, so N rows cost 1 + ceil((ceil(N/50) − 1) / 50)
//! requests. All rows are collected before anything is changed: changing while paging by offset
//! would skip rows (spec §4c).

use super::{Call, CallError, Plan};
use crate::batch::{self, Answer, Command};
use crate::lenient;
use serde_json::Value;
use std::collections::BTreeMap;

/// A page that failed inside a batch is tried this many more times.
const PAGE_RETRIES: u32 = 2;

#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    method: String,
    params: Value,
    /// The rows of the pages read so far, in page order (a page is added once all before it are in).
    rows: Vec<Value>,
    total: Option<usize>,
    /// Pages read but waiting for an earlier one (a retried page), by page number.
    early: BTreeMap<usize, Vec<Value>>,
    /// The next page to add to `rows`, and how many pages there are.
    next_page: usize,
    page_count: usize,
    /// Page commands still to send, and the ones out.
    queue: Vec<Command>,
    out: Vec<Command>,
    first_out: bool,
    failures: BTreeMap<String, u32>,
    error: Option<CallError>,
}

/// The rows of one page's result: a list, or (`crm.item.list`, `tasks.task.list`) an object
/// holding one list.
fn page_rows(result: &Value) -> Vec<Value> {
    match result {
        Value::Array(rows) => rows.clone(),
        Value::Object(m) => match m.values().filter(|v| v.is_array()).collect::<Vec<_>>().as_slice() {
            [list] => lenient::list_like(list),
            _ => lenient::list_like(result),
        },
        _ => Vec::new(),
    }
}

impl Listing {
    pub fn new(method: &str, params: Value) -> Self {
        Listing {
            method: method.into(),
            params,
            rows: Vec::new(),
            total: None,
            early: BTreeMap::new(),
            next_page: 0,
            page_count: 0,
            queue: Vec::new(),
            out: Vec::new(),
            first_out: false,
            failures: BTreeMap::new(),
            error: None,
        }
    }

    /// The rows read so far, in the portal's order.
    pub fn rows(&self) -> &[Value] {
        &self.rows
    }

    /// How many rows the first page said there are.
    pub fn total(&self) -> Option<usize> {
        self.total
    }

    pub fn error(&self) -> Option<&CallError> {
        self.error.as_ref()
    }

    /// Pages read and added to `rows`.
    pub fn pages_fetched(&self) -> usize {
        self.next_page
    }

    fn page_number(key: &str) -> usize {
        key.strip_prefix('p').and_then(|n| n.parse().ok()).unwrap_or(usize::MAX)
    }

    fn add_page(&mut self, page: usize, rows: Vec<Value>) {
        self.early.insert(page, rows);
        while let Some(rows) = self.early.remove(&self.next_page) {
            self.rows.extend(rows);
            self.next_page += 1;
        }
    }

    fn fail(&mut self, error: CallError) {
        self.error.get_or_insert(error);
        self.queue.clear();
    }
}

impl Plan for Listing {
    fn next_call(&mut self, _now_ms: u64) -> Option<Call> {
        if self.error.is_some() || self.first_out || !self.out.is_empty() {
            return None;
        }
        if self.total.is_none() {
            self.first_out = true;
            let mut params = self.params.clone();
            if let Some(m) = params.as_object_mut() {
                m.insert("start".into(), 0.into());
            }
            return Some(Call { method: self.method.clone(), params });
        }
        let take = self.queue.len().min(batch::MAX_COMMANDS);
        let chunk: Vec<Command> = self.queue.drain(..take).collect();
        match batch::requests(&chunk).map(|r| r.into_iter().next()) {
            Ok(Some(params)) => {
                self.out = chunk;
                Some(Call { method: "batch".into(), params })
            }
            Ok(None) => None,
            Err(e) => {
                self.fail(CallError::new(0, "BAD_PARAMETERS", e));
                None
            }
        }
    }

    fn on_answer(&mut self, _call: &Call, answer: &Value, _now_ms: u64) {
        if std::mem::take(&mut self.first_out) {
            let rows = page_rows(&answer["result"]);
            // No total: the method does not count; what came is all there is.
            let total = lenient::uint(&answer["total"]).map_or(rows.len(), |t| t as usize);
            self.total = Some(total);
            self.page_count = total.div_ceil(batch::PAGE).max(1);
            self.queue = batch::pages(&self.method, &self.params, total).into_iter().skip(1).collect();
            self.add_page(0, rows);
            return;
        }
        let read = Answer::read(answer);
        let mut again = Vec::new();
        for command in std::mem::take(&mut self.out) {
            match read.error(&command.key) {
                None => {
                    let rows = read.results.get(&command.key).map(page_rows).unwrap_or_default();
                    self.add_page(Self::page_number(&command.key), rows);
                }
                Some(e) => {
                    let tries = self.failures.entry(command.key.clone()).or_insert(0);
                    *tries += 1;
                    if *tries > PAGE_RETRIES {
                        return self.fail(CallError::new(200, e.code, e.description));
                    }
                    again.push(command);
                }
            }
        }
        // Retried pages go first, so the rows come in order as soon as possible.
        again.append(&mut self.queue);
        self.queue = again;
    }

    fn on_failure(&mut self, _call: &Call, error: &CallError, _now_ms: u64) {
        self.first_out = false;
        self.out.clear();
        self.fail(error.clone());
    }

    fn is_done(&self) -> bool {
        self.error.is_some() || (self.total.is_some() && self.next_page >= self.page_count)
    }
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
