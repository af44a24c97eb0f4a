//! How long the language server takes on large files, as an editor sees
//! it: requests through an in-memory connection, answers decoded.
//!
//! `cargo bench --bench lsp` generates messy files of 100 KB, 1 MB and
//! 5 MB with `../shared/tools/genmif.py` and prints, for each, the time
//! (best of a few runs, wall clock) from sending to the decoded answer of:
//! opening the file (parse, check, diagnostics published), a change
//! (the same), whole-document and one-line range formatting (with the
//! number of edits), and the outline. Figures go in docs/editors.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const URI: &str = "file:///bench/messy.mif";
const RUNS: usize = 3;

fn generate(megabytes: &str) -> String {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/genmif.py");
    let output = Command::new("python3")
        .arg(&tool)
        .args([megabytes, "--messy"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()));
    assert!(output.status.success(), "genmif.py failed");
    String::from_utf8(output.stdout).expect("genmif.py writes ASCII")
}

struct Client {
    connection: Connection,
    next_id: i32,
    version: i32,
}

impl Client {
    fn notify(&self, method: &str, params: Value) {
        let message = Notification::new(method.to_string(), params);
        self.connection.sender.send(message.into()).unwrap();
    }

    /// The decoded result of a request.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let message = Request::new(id.clone(), method.to_string(), params);
        self.connection.sender.send(message.into()).unwrap();
        loop {
            match self.connection.receiver.recv().unwrap() {
                Message::Response(response) if response.id == id => {
                    return response
                        .response_result
                        .unwrap_or_else(|error| panic!("{method} failed: {error:?}"));
                }
                _ => continue,
            }
        }
    }

    /// Open (or change) the document and wait for its diagnostics; how
    /// many there are.
    fn send_text(&mut self, text: &str) -> usize {
        self.version += 1;
        if self.version == 1 {
            self.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": URI, "languageId": "mif", "version": 1, "text": text}}),
            );
        } else {
            self.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": self.version},
                       "contentChanges": [{"text": text}]}),
            );
        }
        loop {
            if let Message::Notification(n) = self.connection.receiver.recv().unwrap() {
                if n.method == "textDocument/publishDiagnostics" {
                    let params: Value = n.params;
                    if params["version"] == self.version {
                        return params["diagnostics"].as_array().map_or(0, Vec::len);
                    }
                }
            }
        }
    }
}

/// CPU time of the whole process (server and client threads) on Linux,
/// so a busy machine does not inflate the figures; `None` elsewhere.
fn cpu() -> Option<Duration> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// A timing: the best wall-clock and the best CPU time of a few runs.
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        match self.cpu {
            Some(cpu) => write!(f, "{:.0} ms ({:.0} ms CPU)", ms(self.wall), ms(cpu)),
            None => write!(f, "{:.0} ms", ms(self.wall)),
        }
    }
}

/// The best of `RUNS` timings of `f`, and its last result.
fn best<T>(mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut timing = Timing {
        wall: Duration::MAX,
        cpu: cpu().map(|_| Duration::MAX),
    };
    let mut last = None;
    for _ in 0..RUNS {
        drop(last.take());
        let (started, cpu_started) = (Instant::now(), cpu());
        let result = f();
        timing.wall = timing.wall.min(started.elapsed());
        if let (Some(best), Some(before), Some(after)) = (&mut timing.cpu, cpu_started, cpu()) {
            *best = (*best).min(after.saturating_sub(before));
        }
        last = Some(result);
    }
    (timing, last.expect("at least one run"))
}

fn main() {
    for megabytes in ["0.1", "1", "5"] {
        let text = generate(megabytes);
        let lines = text.lines().count();
        let (server_side, connection) = Connection::memory();
        let server = std::thread::spawn(move || mif::lsp::serve(&server_side));
        let mut client = Client {
            connection,
            next_id: 0,
            version: 0,
        };
        client.request("initialize", json!({"capabilities": {}}));
        client.notify("initialized", json!({}));

        let (started, cpu_started) = (Instant::now(), cpu());
        let diagnostics = client.send_text(&text);
        let opened = Timing {
            wall: started.elapsed(),
            cpu: cpu()
                .zip(cpu_started)
                .map(|(after, before)| after.saturating_sub(before)),
        };
        let (changed, _) = best(|| client.send_text(&text));
        let formatting = json!({"textDocument": {"uri": URI},
                                "options": {"tabSize": 4, "insertSpaces": true}});
        let (formatted, edits) = best(|| {
            client
                .request("textDocument/formatting", formatting.clone())
                .as_array()
                .map_or(0, Vec::len)
        });
        let middle = lines / 2;
        let mut range = formatting.clone();
        range["range"] = json!({"start": {"line": middle, "character": 0},
                                "end": {"line": middle + 1, "character": 0}});
        let (range_formatted, range_edits) = best(|| {
            client
                .request("textDocument/rangeFormatting", range.clone())
                .as_array()
                .map_or(0, Vec::len)
        });
        let (outlined, symbols) = best(|| {
            let outline = client.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            );
            outline[0]["children"].as_array().map_or(0, Vec::len)
        });
        println!(
            "{megabytes:>4} MB messy ({} bytes, {lines} lines): open + diagnostics {} ({diagnostics} found), \
             change + diagnostics {}, formatting {} ({edits} edits), one-line range {} ({range_edits} edits), \
             outline {} ({symbols} blocks in the component)",
            text.len(),
            opened,
            changed,
            formatted,
            range_formatted,
            outlined,
        );
        breakdown(&text);
        client.request("shutdown", Value::Null);
        client.notify("exit", Value::Null);
        server.join().unwrap().unwrap();
    }
}

/// Where whole-document formatting spends its time, outside the server.
fn breakdown(text: &str) {
    let doc = mif::Document::parse_str(text);
    let (printed, formatted) = best(|| mif::printer::format(&doc, &Default::default()).unwrap());
    let (found, changes) = best(|| mif::lsp::changes(doc.text(), &formatted).unwrap());
    let (placed, edits) = best(|| mif::lsp::to_text_edits(doc.text(), &changes));
    let (encoded, json) = best(|| serde_json::to_string(&edits).unwrap());
    let (valued, _) = best(|| serde_json::to_value(&edits).unwrap());
    println!(
        "      formatting, in parts: print + safety net {}, changes {}, positions {}, JSON {} ({} KB), JSON value {}",
        printed,
        found,
        placed,
        encoded,
        json.len() / 1024,
        valued,
    );
}
