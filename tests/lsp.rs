//! `mif lsp` driven over its stdio with real protocol messages, and the
//! server in-process with a stand-in formatter to check formatting edits.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use lsp_types::TextEdit;
use mif::lsp::LineMap;
use mif::Document;
use serde_json::{json, Value};

/// No single answer may take longer than this (a debug build on a loaded
/// machine answers in milliseconds; the bound only keeps a bug from hanging).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

const URI: &str = "file:///nonexistent/broken-status.mif";

/// A `mif lsp` process and the messages it sends, read on a thread so a
/// silent server fails the test instead of hanging it.
struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    transcript: String,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mif"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            stdin,
            messages,
            transcript: String::new(),
        }
    }

    fn send(&mut self, message: Value) {
        self.transcript
            .push_str(&format!("--> {}\n", shorten(&message)));
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let message = self
            .messages
            .recv_timeout(ANSWER_TIMEOUT)
            .unwrap_or_else(|e| panic!("no message from the server: {e}"));
        self.transcript
            .push_str(&format!("<-- {}\n", shorten(&message)));
        message
    }

    /// Receive a message, noting only `what` in the transcript.
    fn receive_unrecorded(&mut self, what: &str) -> Value {
        let message = self
            .messages
            .recv_timeout(ANSWER_TIMEOUT)
            .unwrap_or_else(|e| panic!("no message from the server: {e}"));
        self.transcript.push_str(&format!("<-- ({what})\n"));
        message
    }

    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.receive();
        assert_eq!(response["id"], id, "{response}");
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn exit_code(mut self) -> Option<i32> {
        wait_bounded(&mut self.child)
    }
}

/// Wait for a process to end, within the timeout.
fn wait_bounded(child: &mut Child) -> Option<i32> {
    let deadline = std::time::Instant::now() + ANSWER_TIMEOUT;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("the server did not exit");
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// One framed message, or `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A message on one line, long texts cut, for the transcript.
fn shorten(message: &Value) -> String {
    fn cut(value: &Value) -> Value {
        match value {
            Value::String(s) if s.chars().count() > 60 => {
                Value::String(format!("{}…", s.chars().take(60).collect::<String>()))
            }
            Value::Array(items) if items.len() > 4 => {
                let mut kept: Vec<Value> = items.iter().take(3).map(cut).collect();
                kept.push(Value::String(format!("… {} more", items.len() - 3)));
                Value::Array(kept)
            }
            Value::Array(items) => Value::Array(items.iter().map(cut).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), cut(v))).collect())
            }
            other => other.clone(),
        }
    }
    cut(message).to_string()
}

/// What `mif fmt -` makes of a single-byte file's text; the text itself
/// while the binary has no `fmt` subcommand.
fn mif_fmt(text: &str) -> String {
    let bytes = mif::source::encode(text, mif::Encoding::SingleByte).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mif"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A binary without `fmt` exits before reading: ignore the broken pipe.
    let _ = child.stdin.take().unwrap().write_all(&bytes);
    let code = wait_bounded(&mut child);
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut output)
        .unwrap();
    match code {
        Some(0) => mif::Source::decode(&output).text,
        _ => text.to_string(),
    }
}

/// Apply protocol edits to a text, as an editor does.
fn apply(text: &str, edits: &[TextEdit]) -> String {
    let map = LineMap::new(text);
    let mut spans: Vec<_> = edits
        .iter()
        .map(|e| (map.span(e.range), e.new_text.as_str()))
        .collect();
    spans.sort_by_key(|(span, _)| span.start);
    for pair in spans.windows(2) {
        assert!(
            pair[0].0.end <= pair[1].0.start,
            "overlapping edits {edits:?}"
        );
    }
    let mut out = text.to_string();
    for (span, new_text) in spans.iter().rev() {
        out.replace_range(span.range(), new_text);
    }
    out
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/lsp")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_whole_session_over_stdio() {
    let text = fixture("broken-status.mif");
    let mut session = Session::start();

    let init = session.request(
        1,
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}},
            "initializationOptions": {"diagnosticsDocs": "https://mif.example/docs/diagnostics.md"}}),
    );
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    for provider in [
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
        "documentSymbolProvider",
        "hoverProvider",
    ] {
        assert_eq!(capabilities[provider], true, "{provider}");
    }
    session.notify("initialized", json!({}));

    // didOpen with a broken file: the diagnostics of `mif check`.
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "mif", "version": 1, "text": text}}),
    );
    let published = session.receive();
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], URI);
    assert_eq!(published["params"]["version"], 1);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let expected = common::check(&Document::parse_str(&text));
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    let expected_codes: Vec<&str> = expected.iter().map(|d| d.code).collect();
    assert_eq!(codes, expected_codes);
    let first = &diagnostics[0];
    assert_eq!(first["code"], "mif::unterminated-string");
    assert_eq!(first["severity"], 1);
    assert_eq!(
        first["range"],
        json!({"start": {"line": 74, "character": 14}, "end": {"line": 74, "character": 38}})
    );
    assert_eq!(
        first["codeDescription"]["href"],
        "https://mif.example/docs/diagnostics.md#mifunterminated-string"
    );

    // Outline: component > groups > attributes, named by NAME.
    let symbols = session.request(
        2,
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let component = &symbols[0];
    assert_eq!(component["name"], "WORKSTATION");
    let groups: Vec<&Value> = component["children"].as_array().unwrap().iter().collect();
    assert_eq!(groups[0]["name"], "ComponentID");
    assert_eq!(groups[1]["name"], "InstallStatus");
    assert_eq!(groups[0]["children"][0]["name"], "Manufacturer");

    // Hover on a group's CLASS string, and on a keyword.
    let hover = session.request(
        3,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 59, "character": 20}}),
    );
    let contents = hover["contents"]["value"].as_str().unwrap();
    assert!(contents.contains("MICROSOFT|JOBSTATUS|1.0"), "{contents}");
    assert!(contents.contains("Success"), "{contents}");
    let hover = session.request(
        4,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 10, "character": 8}}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**ACCESS**"));

    // Completion inside a group offers its statements and START ATTRIBUTE.
    let items = session.request(
        5,
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 6, "character": 0}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"CLASS") && labels.contains(&"START ATTRIBUTE"),
        "{labels:?}"
    );

    // The fix arrives by didChange: the error is gone.
    let fixed = text.replace("disk full\n", "disk full\"\n");
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let published = session.receive();
    assert_eq!(published["params"]["version"], 2);
    let severities: Vec<&Value> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["severity"])
        .collect();
    assert!(!severities.contains(&&json!(1)), "{published}");

    // Formatting the fixed file: edits that, applied, give `mif fmt -`'s
    // output. The response is not recorded: it depends on the formatter
    // the binary is built with.
    session.send(
        json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/formatting",
        "params": {"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}}),
    );
    let response = session.receive_unrecorded("edits that, applied, give `mif fmt -`'s output");
    let edits: Vec<TextEdit> = serde_json::from_value(response["result"].clone()).unwrap();
    assert_eq!(apply(&fixed, &edits), mif_fmt(&fixed));

    // A request for an unknown method is an error, not a crash.
    session.send(
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/definition",
        "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}}),
    );
    let response = session.receive();
    assert_eq!(response["error"]["code"], -32601);

    session.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let cleared = session.receive();
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    assert_eq!(session.request(8, "shutdown", Value::Null), Value::Null);
    session.notify("exit", Value::Null);
    let transcript = session.transcript.clone();
    assert_eq!(session.exit_code(), Some(0));
    common::snapshot_settings("lsp").bind(|| insta::assert_snapshot!("session", transcript));
}

#[test]
fn exit_without_shutdown_and_garbage_are_trouble_not_panics() {
    let mut session = Session::start();
    session.request(1, "initialize", json!({"capabilities": {}}));
    session.notify("exit", Value::Null);
    assert_eq!(session.exit_code(), Some(2));

    let mut child = Command::new(env!("CARGO_BIN_EXE_mif"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Content-Length: 5\r\n\r\n{oops")
        .unwrap();
    assert_eq!(wait_bounded(&mut child), Some(2));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The formatter the server uses: `mif fmt`'s, with its safety net.
fn formatted(text: &str) -> Result<String, mif::printer::FormatError> {
    mif::printer::format(&Document::parse_str(text), &Default::default())
}

/// The server in-process, over an in-memory connection.
struct InProcess {
    client: lsp_server::Connection,
    server: Option<std::thread::JoinHandle<Result<(), mif::lsp::ServerError>>>,
}

impl InProcess {
    fn start() -> InProcess {
        let (server_side, client) = lsp_server::Connection::memory();
        let server = std::thread::spawn(move || mif::lsp::serve(&server_side));
        let mut session = InProcess {
            client,
            server: Some(server),
        };
        session.request("initialize", json!({"capabilities": {}}));
        session.notify("initialized", json!({}));
        session
    }

    fn notify(&self, method: &str, params: Value) {
        let message = lsp_server::Notification::new(method.to_string(), params);
        self.client.sender.send(message.into()).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> lsp_server::Response {
        let id = lsp_server::RequestId::from(7);
        let message = lsp_server::Request::new(id.clone(), method.to_string(), params);
        self.client.sender.send(message.into()).unwrap();
        loop {
            match self.client.receiver.recv_timeout(ANSWER_TIMEOUT).unwrap() {
                lsp_server::Message::Response(response) if response.id == id => return response,
                _ => continue,
            }
        }
    }

    fn open(&self, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "mif", "version": 1, "text": text}}),
        );
    }

    fn edits(&mut self, method: &str, extra: Value) -> Result<Vec<TextEdit>, i32> {
        let mut params =
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}});
        if let (Value::Object(params), Value::Object(extra)) = (&mut params, extra) {
            params.extend(extra);
        }
        let response = self.request(method, params);
        match response.response_result {
            Ok(result) => Ok(serde_json::from_value(result).unwrap()),
            Err(error) => Err(error.code),
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().unwrap().unwrap();
        }
    }
}

const MESSY: &str = "\
// Größe und Maße
start COMPONENT
NAME = \"Wörkstation 𝄞\"
      START GROUP
  NAME = \"InstallStatus\"\r
  ID = 2
        CLASS = \"MICROSOFT|JOBSTATUS|1.0\"
    start ATTRIBUTE
 NAME = \"Status\" ID = 1 TYPE = STRING(32) VALUE = \"Échec\"
  END ATTRIBUTE
   end GROUP
END COMPONENT
";

#[test]
fn formatting_edits_reproduce_the_formatters_output() {
    let mut session = InProcess::start();
    session.open(MESSY);
    let formatted = formatted(MESSY).unwrap();
    assert_ne!(formatted, MESSY);
    let edits = session.edits("textDocument/formatting", json!({})).unwrap();
    assert_eq!(apply(MESSY, &edits), formatted);
    // Minimal: every edit is small, the untouched first line is never touched.
    assert!(edits.len() > 3, "{edits:#?}");
    assert!(edits.iter().all(|e| e.new_text.len() <= 16), "{edits:#?}");
    assert!(edits.iter().all(|e| e.range.start.line > 0), "{edits:#?}");
}

#[test]
fn range_formatting_touches_only_the_range() {
    let mut session = InProcess::start();
    session.open(MESSY);
    // Lines 6 and 7 whole: the CLASS line and `start ATTRIBUTE`. The range
    // ends where line 8 starts, inside the gap before its first word: that
    // gap (line 8's indent) is formatted too, as every gap touching the range.
    let range = json!({"range": {"start": {"line": 6, "character": 0}, "end": {"line": 8, "character": 0}}});
    let edits = session
        .edits("textDocument/rangeFormatting", range)
        .unwrap();
    assert!(!edits.is_empty());
    assert!(
        edits.iter().all(|e| (6..=8).contains(&e.range.start.line)),
        "{edits:#?}"
    );
    let result = apply(MESSY, &edits);
    let formatted = formatted(MESSY).unwrap();
    let formatted_line = |n: usize| formatted.lines().nth(n).unwrap();
    for (n, line) in result.lines().enumerate() {
        let old = MESSY.lines().nth(n).unwrap();
        let expected = match n {
            6 | 7 => formatted_line(n).to_string(),
            8 => {
                let indent = formatted_line(n).len() - formatted_line(n).trim_start().len();
                format!("{}{}", &formatted_line(n)[..indent], old.trim_start())
            }
            _ => old.to_string(),
        };
        assert_eq!(line, expected, "line {n}");
    }
}

/// The two reproductions of issue #19: a range of blanks before a word
/// formats the blanks, never the word (the server once replaced them with
/// `START`); a range over part of a word formats the whole word (it once
/// deleted `NAME`).
#[test]
fn range_formatting_never_cuts_a_word_or_a_change() {
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kb166833-status.mif"),
    )
    .unwrap();
    let mut lines: Vec<&str> = original.lines().collect();
    lines[47] = "      start group";
    let text = lines.join("\n") + "\n";
    let mut session = InProcess::start();
    session.open(&text);
    let range = json!({"range": {"start": {"line": 47, "character": 4}, "end": {"line": 47, "character": 6}}});
    let edits = session
        .edits("textDocument/rangeFormatting", range)
        .unwrap();
    let result = apply(&text, &edits);
    assert_eq!(
        result.lines().nth(47),
        Some("    start group"),
        "{edits:#?}"
    );
    assert_eq!(result.lines().count(), text.lines().count());

    let text = fixture("trailing-comment.mif");
    session.open(&text);
    let line = text
        .lines()
        .position(|l| l.starts_with("   name = \"ComponentID\""))
        .unwrap();
    let range = json!({"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 5}}});
    let edits = session
        .edits("textDocument/rangeFormatting", range)
        .unwrap();
    let result = apply(&text, &edits);
    assert_eq!(
        result.lines().nth(line),
        Some("        NAME = \"ComponentID\"   // trailing comment"),
        "{edits:#?}"
    );
}

#[test]
fn a_formatter_refusal_is_a_failed_request() {
    let mut session = InProcess::start();
    session.open("START COMPONENT\n  NAME = \"x\n");
    assert_eq!(
        session.edits("textDocument/formatting", json!({})),
        Err(-32803)
    );
}

/// Every real file and fixture, every request at many places: answers,
/// never an internal error (a handler panic would show as one).
#[test]
fn real_files_get_answers_everywhere() {
    let mut files: Vec<_> = common::corpus()
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    files.extend(common::all_fixtures());
    let mut session = InProcess::start();
    let mut requests = 0;
    let started = std::time::Instant::now();
    for path in &files {
        let text = mif::Source::decode(&std::fs::read(path).unwrap()).text;
        session.open(&text);
        let symbols = session.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        );
        assert!(symbols.response_result.is_ok(), "{}", path.display());
        match session.edits("textDocument/formatting", json!({})) {
            Ok(edits) => assert_eq!(apply(&text, &edits), formatted(&text).unwrap()),
            Err(code) => assert_eq!(code, -32803, "{}", path.display()),
        }
        for line in (0..text.lines().count() as u32 + 1).step_by(3) {
            for character in [0, 9, 300] {
                let at = json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
                for method in ["textDocument/hover", "textDocument/completion"] {
                    let response = session.request(method, at.clone());
                    assert!(
                        response.response_result.is_ok(),
                        "{method} {}:{line}:{character}",
                        path.display()
                    );
                    requests += 1;
                }
            }
        }
    }
    eprintln!(
        "{requests} requests on {} files in {:?}",
        files.len(),
        started.elapsed()
    );
}

/// Every quick fix the server offers for these broken files, applied,
/// removes its diagnostic and leaves no new error; "format the document"
/// gives `mif fmt`'s text.
#[test]
fn quick_fixes_fix_what_they_say() {
    let status = |value: &str| {
        format!(
            "START COMPONENT\nNAME = \"x\"\nSTART GROUP\nNAME = \"InstallStatus\"\nID = 2\n\
             CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\nSTART ATTRIBUTE\nNAME = \"Status\"\nID = 1\n\
             TYPE = STRING(16)\nVALUE = {value}\nEND ATTRIBUTE\nEND GROUP\nEND COMPONENT\n"
        )
    };
    let cases = [
        ("mif::unterminated-string", fixture("broken-status.mif")),
        (
            "mif::unquoted-string",
            "START COMPONENT\nNAME = Not quoted\nEND COMPONENT\n".to_string(),
        ),
        (
            "mif::expected-equals",
            "START COMPONENT\nNAME \"x\"\nEND COMPONENT\n".to_string(),
        ),
        ("mif::status-value-case", status("\"SUCCESS\"")),
        ("mif::status-value-whitespace", status("\"Failed \"")),
        (
            "mif::unclosed-block",
            "START COMPONENT\nNAME = \"x\"\nSTART GROUP\nNAME = \"g\"\nEND COMPONENT\n".to_string(),
        ),
        (
            "mif::missing-end-component",
            "START COMPONENT\nNAME = \"x\"\n".to_string(),
        ),
        (
            "mif::paths-keyword",
            "START COMPONENT\nNAME = \"x\"\nSTART PATHS\nNAME = \"p\"\nWIN32 = \"p.dll\"\nEND PATHS\nEND COMPONENT\n"
                .to_string(),
        ),
        (
            "mif::value-too-long",
            status("\"Success\"").replace("NAME = \"Status\"", "NAME = \"Note\"").replace(
                "\"Success\"",
                "\"Ünïcödé text far longer than sixteen\"",
            ),
        ),
    ];
    let mut session = InProcess::start();
    for (code, text) in cases {
        session.open(&text);
        let findings = common::check(&Document::parse_str(&text));
        let diagnostic = findings
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code} not found: {findings:#?}"));
        let map = LineMap::new(&text);
        let range = map.range(diagnostic.span);
        let response = session.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range,
                   "context": {"diagnostics": [], "only": ["quickfix"]}}),
        );
        let actions: Vec<lsp_types::CodeAction> =
            serde_json::from_value(response.response_result.unwrap()).unwrap();
        let action = actions
            .iter()
            .find(|a| {
                a.diagnostics.as_ref().is_some_and(|d| {
                    d.iter()
                        .any(|d| d.code == Some(lsp_types::NumberOrString::String(code.into())))
                })
            })
            .unwrap_or_else(|| panic!("no quick fix for {code}: {actions:#?}"));
        assert_eq!(action.kind, Some(lsp_types::CodeActionKind::QUICKFIX));
        let edits = &action.edit.as_ref().unwrap().changes.as_ref().unwrap()[&URI.parse().unwrap()];
        let after = apply(&text, edits);
        let fixed = common::check(&Document::parse_str(&after));
        assert!(
            !fixed.iter().any(|d| d.code == code),
            "{code} still there after {:?}:\n{after}",
            action.title
        );
        let errors = |found: &[mif::Diagnostic]| found.iter().filter(|d| d.is_error()).count();
        if !Document::parse_str(&text).has_errors() {
            assert!(
                errors(&fixed) <= errors(&findings),
                "{code}: new errors {fixed:#?}"
            );
        }
        eprintln!("{code}: {}", action.title);
    }

    // Format the document, as a source action.
    session.open(MESSY);
    let response = session.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let actions: Vec<lsp_types::CodeAction> =
        serde_json::from_value(response.response_result.unwrap()).unwrap();
    let format = actions
        .iter()
        .find(|a| a.kind == Some(lsp_types::CodeActionKind::SOURCE_FIX_ALL))
        .expect("a format action");
    let edits = &format.edit.as_ref().unwrap().changes.as_ref().unwrap()[&URI.parse().unwrap()];
    assert_eq!(apply(MESSY, edits), formatted(MESSY).unwrap());
}

/// Wait for the server's next `method` notification.
fn next_notification(session: &InProcess, method: &str) -> Value {
    loop {
        match session
            .client
            .receiver
            .recv_timeout(ANSWER_TIMEOUT)
            .unwrap()
        {
            lsp_server::Message::Notification(n) if n.method == method => return n.params,
            _ => continue,
        }
    }
}

/// The nearest `mif.toml` above an open file styles its formatting and
/// chooses its diagnostics as it does for `mif fmt` and `mif check`; one
/// that cannot be read is shown to the user and stops formatting, as it
/// stops `mif fmt`.
// Unix only: the file URI is spelled here for a Unix path
// (`file:///tmp/…`); the server's own reading of Windows URIs is tested
// in src/lsp.
#[cfg(unix)]
#[test]
fn the_nearest_mif_toml_applies_as_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("mif.toml"),
        "[fmt]\nindent = 2\nkeyword-case = \"lower\"\n\n[check]\nallow = [\"missing-componentid\"]\n",
    )
    .unwrap();
    let text = "start COMPONENT\nNAME = \"x\"\n      START GROUP\n  NAME = \"g\"\nID = 2\n\
                CLASS = \"A|B|1.0\"\nEND GROUP\nEND COMPONENT\n";
    std::fs::create_dir(root.join("sub")).unwrap();
    let file = root.join("sub/a.mif");
    std::fs::write(&file, text).unwrap();
    let cli = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_mif"))
            .args(args)
            .arg(&file)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let uri = format!("file://{}", file.display());
    let mut session = InProcess::start();
    let open = |session: &InProcess, version: i32| {
        session.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mif", "version": version, "text": text}}),
        );
    };
    open(&session, 1);
    let published = next_notification(&session, "textDocument/publishDiagnostics");
    assert_eq!(published["diagnostics"], json!([]), "allowed by mif.toml");
    assert_eq!(cli(&["check", "--format", "json"]).trim(), "");
    let params =
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}});
    let response = session.request("textDocument/formatting", params.clone());
    let edits: Vec<TextEdit> = serde_json::from_value(response.response_result.unwrap()).unwrap();
    cli(&["fmt"]);
    let by_cli = std::fs::read_to_string(&file).unwrap();
    assert!(
        by_cli.starts_with("start component\n  name = \"x\"\n"),
        "{by_cli}"
    );
    assert_eq!(apply(text, &edits), by_cli);

    // Without it, the defaults.
    std::fs::remove_file(root.join("mif.toml")).unwrap();
    open(&session, 2);
    let published = next_notification(&session, "textDocument/publishDiagnostics");
    assert_eq!(
        published["diagnostics"][0]["code"], "mif::missing-componentid",
        "{published}"
    );

    // A mistake in it: said once, and no formatting in a style it did not ask for.
    std::fs::write(root.join("sub/.mif.toml"), "[fmt]\nindnt = 2\n").unwrap();
    open(&session, 3);
    let shown = next_notification(&session, "window/showMessage");
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains(".mif.toml:2:1"), "{message}");
    assert!(message.contains("did you mean `indent`"), "{message}");
    let response = session.request("textDocument/formatting", params);
    assert_eq!(response.response_result.unwrap_err().code, -32803);
}
