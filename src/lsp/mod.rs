//! `mif lsp`: a language server, so editors show `mif check`'s diagnostics
//! while typing, format with minimal edits, outline the blocks, explain
//! keywords and classes, and complete keywords and block skeletons.
//!
//! Built on `lsp-server` (the synchronous transport rust-analyzer uses) and
//! `lsp-types`. The client owns the text (full sync); files on disk keep
//! their own encoding, which is only sniffed for what the rules need.

mod completion;
mod diagnostics;
mod edits;
mod fixes;
mod hover;
mod position;
mod symbols;

pub use edits::{changes, text_edits, to_text_edits, Change, NotSameTokens};
pub use position::LineMap;

use std::collections::HashMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, HoverRequest,
    RangeFormatting, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand,
    CodeActionProviderCapability, CompletionOptions, CompletionResponse, DocumentSymbolResponse,
    Hover, HoverContents, HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind,
    MessageType, OneOf, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Uri,
};

use crate::check::{judge_resize, CheckOptions};
use crate::config::Config;
use crate::model::types::octets;
use crate::printer::FormatOptions;
use crate::source::{Encoding, Source};
use crate::syntax::Document;
use completion::complete;
use diagnostics::{docs_location, to_lsp};
use hover::hover;
use symbols::document_symbols;

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
#[error("language server: {0}")]
pub struct ServerError(String);

impl From<lsp_server::ProtocolError> for ServerError {
    fn from(error: lsp_server::ProtocolError) -> Self {
        ServerError(error.to_string())
    }
}

impl From<std::io::Error> for ServerError {
    fn from(error: std::io::Error) -> Self {
        ServerError(error.to_string())
    }
}

/// Serve over stdin/stdout until the client says `shutdown` and `exit`.
pub fn serve_stdio() -> Result<(), ServerError> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Serve one connection: the handshake, then requests and notifications.
pub fn serve(connection: &Connection) -> Result<(), ServerError> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| ServerError(format!("bad initialize request: {e}")))?;
    let configured_docs = params
        .initialization_options
        .as_ref()
        .and_then(|options| options.get("diagnosticsDocs"))
        .and_then(|docs| docs.as_str());
    let docs = docs_location(configured_docs);
    let snippets = params
        .capabilities
        .text_document
        .and_then(|t| t.completion)
        .and_then(|c| c.completion_item)
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "mif".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    // Answered directly rather than by `initialize_finish`, which stops the
    // server when a client sends anything before `initialized`.
    connection
        .sender
        .send(Response::new_ok(id, result).into())
        .map_err(|_| closed())?;
    let mut server = Server {
        connection,
        snippets,
        docs,
        documents: HashMap::new(),
        shown_config_error: None,
    };
    server.run()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(SaveOptions::default().into()),
                ..TextDocumentSyncOptions::default()
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// A document the client has open, parsed once per change.
struct OpenDocument {
    doc: Document,
    version: i32,
    /// How the check sees the file: its canonical path, when it has one,
    /// and what its `mif.toml` says (profile, severities).
    check_options: CheckOptions,
    /// The style its `mif.toml` gives, else the canonical one.
    format_options: FormatOptions,
    /// Why the nearest `mif.toml` cannot be used: the document is then
    /// checked as if there were none, and not formatted, as `mif fmt`
    /// would not format it.
    config_error: Option<String>,
}

impl OpenDocument {
    /// Parse the client's text as a file in `encoding` (the one on disk),
    /// under the nearest `mif.toml` above the file, found as `mif check`
    /// and `mif fmt` find it (read again at every change, so an edited
    /// `mif.toml` applies from the next keystroke).
    fn new(uri: &Uri, text: String, encoding: Encoding, version: i32) -> OpenDocument {
        let doc = Document::from_source(Source::from_text(text, encoding));
        let mut document = OpenDocument {
            doc,
            version,
            check_options: CheckOptions::default(),
            format_options: FormatOptions::default(),
            config_error: None,
        };
        let Some(path) = file_path(uri) else {
            return document;
        };
        document.check_options = CheckOptions::for_path(&path);
        let folder = path.parent().unwrap_or(&path);
        match Config::find(folder) {
            Ok(None) => {}
            Ok(Some(config)) => {
                document.check_options = config.check_options(document.check_options);
                document.format_options = config.fmt.options();
            }
            Err(error) => document.config_error = Some(error.to_string()),
        }
        document
    }
}

struct Server<'a> {
    connection: &'a Connection,
    snippets: bool,
    /// Where diagnostic codes link to ([`docs_location`]).
    docs: Option<Uri>,
    documents: HashMap<Uri, OpenDocument>,
    /// The last `mif.toml` problem shown to the user, so that it is
    /// shown once, not at every keystroke.
    shown_config_error: Option<String>,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), ServerError> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    let response = self.respond(request);
                    self.send(response.into())?;
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return Err(ServerError("exit without shutdown".to_string()));
                }
                Message::Notification(notification) => self.on_notification(notification)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    /// Answer one request; a bug in a handler fails the request, not the server.
    fn respond(&self, request: Request) -> Response {
        let id = request.id.clone();
        match catch_unwind(AssertUnwindSafe(|| self.handle(request))) {
            Ok(Ok(response)) => response,
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error (please report it with the file)".to_string(),
            ),
        }
    }

    fn handle(&self, request: Request) -> Result<Response, (ErrorCode, String)> {
        let id = request.id.clone();
        match request.method.as_str() {
            Formatting::METHOD => {
                let params: lsp_types::DocumentFormattingParams = extract(request)?;
                let document = self.document(&params.text_document.uri)?;
                let edits = self.format(document, None)?;
                Ok(ok(id, edits))
            }
            RangeFormatting::METHOD => {
                let params: lsp_types::DocumentRangeFormattingParams = extract(request)?;
                let document = self.document(&params.text_document.uri)?;
                let edits = self.format(document, Some(params.range))?;
                Ok(ok(id, edits))
            }
            DocumentSymbolRequest::METHOD => {
                let params: lsp_types::DocumentSymbolParams = extract(request)?;
                let doc = &self.document(&params.text_document.uri)?.doc;
                Ok(ok(
                    id,
                    DocumentSymbolResponse::Nested(document_symbols(doc)),
                ))
            }
            HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = extract(request)?;
                let at = params.text_document_position_params;
                let doc = &self.document(&at.text_document.uri)?.doc;
                let map = LineMap::new(doc.text());
                let result = hover(doc, map.offset(at.position)).map(|(text, span)| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: text,
                    }),
                    range: Some(map.range(span)),
                });
                Ok(ok(id, result))
            }
            Completion::METHOD => {
                let params: lsp_types::CompletionParams = extract(request)?;
                let at = params.text_document_position;
                let doc = &self.document(&at.text_document.uri)?.doc;
                let offset = LineMap::new(doc.text()).offset(at.position);
                let items = complete(doc, offset, self.snippets);
                Ok(ok(id, CompletionResponse::Array(items)))
            }
            CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = extract(request)?;
                let uri = params.text_document.uri.clone();
                let document = self.document(&uri)?;
                Ok(ok(id, self.code_actions(document, &uri, &params)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("mif lsp does not handle {other}"),
            )),
        }
    }

    /// Minimal edits from the current text to the formatter's output; with
    /// a range, only those belonging to it ([`Change::belongs_to`]). The
    /// output has passed the formatter's safety net, and the text the
    /// edits make is judged on the check's size rules, as `mif fmt`'s.
    fn format(
        &self,
        document: &OpenDocument,
        range: Option<lsp_types::Range>,
    ) -> Result<Vec<TextEdit>, (ErrorCode, String)> {
        let doc = &document.doc;
        let failed = |why: String| (ErrorCode::RequestFailed, why);
        if let Some(why) = &document.config_error {
            return Err(failed(format!("not formatted: {why}")));
        }
        let formatted = crate::printer::format(doc, &document.format_options)
            .map_err(|e| failed(e.to_string()))?;
        // Never expected to fail: the safety net has compared the tokens.
        let all = changes(doc.text(), &formatted).map_err(|NotSameTokens { at }| {
            failed(format!(
                "internal error: the formatted text's tokens differ from the file's \
                 at byte {at}; nothing was changed, please report this"
            ))
        })?;
        let only = range.map(|r| LineMap::new(doc.text()).span(r));
        let kept: Vec<&Change> = all
            .iter()
            .filter(|change| only.is_none_or(|range| change.belongs_to(range)))
            .collect();
        let encoding = doc.source.encoding;
        let octets_of = |text: &str| octets(text, encoding) as i64;
        let before = (encoding.bom().len() + octets(doc.text(), encoding)) as i64;
        let after = before
            + kept
                .iter()
                .map(|c| octets_of(&c.text) - octets_of(&doc.text()[c.span.range()]))
                .sum::<i64>();
        let judgement = judge_resize(before as u64, after.max(0) as u64, || {
            document.check_options.profile_of(doc)
        });
        if let Some(refusal) = judgement.refusals.first() {
            return Err(failed(format!(
                "not formatted: the formatted file would be wrong: {}",
                refusal.diagnostic.message
            )));
        }
        Ok(edits::to_text_edits(doc.text(), kept))
    }

    /// The quick fixes of the diagnostics at `params.range` (each judged
    /// by the one check before it is offered), and "format the document"
    /// when formatting changes anything.
    fn code_actions(
        &self,
        document: &OpenDocument,
        uri: &Uri,
        params: &lsp_types::CodeActionParams,
    ) -> Vec<CodeActionOrCommand> {
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let doc = &document.doc;
        let map = LineMap::new(doc.text());
        let range = map.span(params.range);
        let action = |title: String, kind: CodeActionKind, edits: Vec<TextEdit>| CodeAction {
            title,
            kind: Some(kind),
            edit: Some(lsp_types::WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..lsp_types::WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        };
        let mut actions = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            let findings = crate::check(doc, &document.check_options);
            for diagnostic in findings
                .iter()
                .filter(|d| d.span.start <= range.end && range.start <= d.span.end)
            {
                let Some(fix) = fixes::fix_for(doc, diagnostic, &findings, &document.check_options)
                else {
                    continue;
                };
                let edits = fix
                    .edits
                    .iter()
                    .map(|(span, text)| TextEdit::new(map.range(*span), text.clone()))
                    .collect();
                let mut quick_fix = action(fix.title, CodeActionKind::QUICKFIX, edits);
                quick_fix.diagnostics =
                    Some(vec![to_lsp(diagnostic, uri, &map, self.docs.as_ref())]);
                quick_fix.is_preferred = Some(true);
                actions.push(CodeActionOrCommand::CodeAction(quick_fix));
            }
        }
        if wanted(&CodeActionKind::SOURCE_FIX_ALL) {
            if let Ok(edits) = self.format(document, None) {
                if !edits.is_empty() {
                    let title = "Format the document (mif fmt)".to_string();
                    let format = action(title, CodeActionKind::SOURCE_FIX_ALL, edits);
                    actions.push(CodeActionOrCommand::CodeAction(format));
                }
            }
        }
        actions
    }

    fn document(&self, uri: &Uri) -> Result<&OpenDocument, (ErrorCode, String)> {
        self.documents.get(uri).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("{} is not open", uri.as_str()),
            )
        })
    }

    fn on_notification(&mut self, notification: Notification) -> Result<(), ServerError> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let item = params.text_document;
                let encoding = encoding_on_disk(&item.uri);
                let document = OpenDocument::new(&item.uri, item.text, encoding, item.version);
                self.documents.insert(item.uri.clone(), document);
                self.tell_config_error(&item.uri)?;
                self.publish(&item.uri)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                let (Some(document), Some(change)) = (
                    self.documents.get_mut(&uri),
                    params.content_changes.into_iter().last(),
                ) else {
                    return Ok(());
                };
                let encoding = document.doc.source.encoding;
                *document =
                    OpenDocument::new(&uri, change.text, encoding, params.text_document.version);
                self.tell_config_error(&uri)?;
                self.publish(&uri)
            }
            DidSaveTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return Ok(());
                };
                // Saving also takes up a `mif.toml` changed meanwhile.
                let uri = params.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return Ok(());
                };
                let text = document.doc.text().to_string();
                let encoding = document.doc.source.encoding;
                *document = OpenDocument::new(&uri, text, encoding, document.version);
                self.tell_config_error(&uri)?;
                self.publish(&uri)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                self.documents.remove(&uri);
                self.send_diagnostics(PublishDiagnosticsParams::new(uri, Vec::new(), None))
            }
            _ => Ok(()),
        }
    }

    /// Show the user why the document's `mif.toml` cannot be used, once
    /// per problem (the file's diagnostics cannot say it: it is not in it).
    fn tell_config_error(&mut self, uri: &Uri) -> Result<(), ServerError> {
        let Some(error) = self.documents.get(uri).and_then(|d| d.config_error.clone()) else {
            return Ok(());
        };
        if self.shown_config_error.as_ref() == Some(&error) {
            return Ok(());
        }
        let message = format!(
            "{error}; until it is fixed, mif checks this file with the defaults and does not format it"
        );
        self.shown_config_error = Some(error);
        let params = ShowMessageParams {
            typ: MessageType::ERROR,
            message,
        };
        let notification = Notification::new(ShowMessage::METHOD.to_string(), params);
        self.send(notification.into())
    }

    /// Check an open document and send its diagnostics.
    fn publish(&self, uri: &Uri) -> Result<(), ServerError> {
        let Some(document) = self.documents.get(uri) else {
            return Ok(());
        };
        let found = catch_unwind(AssertUnwindSafe(|| {
            let doc = &document.doc;
            let map = LineMap::new(doc.text());
            crate::check(doc, &document.check_options)
                .iter()
                .map(|d| to_lsp(d, uri, &map, self.docs.as_ref()))
                .collect::<Vec<_>>()
        }));
        let diagnostics = found.unwrap_or_default();
        self.send_diagnostics(PublishDiagnosticsParams::new(
            uri.clone(),
            diagnostics,
            Some(document.version),
        ))
    }

    fn send_diagnostics(&self, params: PublishDiagnosticsParams) -> Result<(), ServerError> {
        let notification = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
        self.send(notification.into())
    }

    fn send(&self, message: Message) -> Result<(), ServerError> {
        self.connection.sender.send(message).map_err(|_| closed())
    }
}

fn closed() -> ServerError {
    ServerError("the client connection closed".to_string())
}

fn extract<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", request.method)))
}

fn ok(id: RequestId, result: impl serde::Serialize) -> Response {
    Response::new_ok(id, result)
}

/// The encoding of the file behind a `file:` URI, from its first bytes
/// (its byte-order mark); single-byte when there is no such file.
fn encoding_on_disk(uri: &Uri) -> Encoding {
    let Some(path) = file_path(uri) else {
        return Encoding::SingleByte;
    };
    let mut head = Vec::with_capacity(3);
    match std::fs::File::open(path).and_then(|file| file.take(3).read_to_end(&mut head)) {
        Ok(_) => Source::decode(&head).encoding,
        Err(_) => Encoding::SingleByte,
    }
}

/// The local path of a `file:` URI, percent-decoded.
fn file_path(uri: &Uri) -> Option<std::path::PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let mut iter = path.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex: Vec<u8> = iter.by_ref().take(2).collect();
            let value = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(value);
        } else {
            bytes.push(b);
        }
    }
    let decoded = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` names `C:/x` on Windows.
    let windows_drive = decoded.as_bytes().get(2) == Some(&b':') && cfg!(windows);
    Some(if windows_drive {
        decoded[1..].into()
    } else {
        decoded.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The `file:` URI of a local absolute path, percent-encoded, as a
    /// client sends it (the server itself only reads URIs).
    fn file_uri(path: &std::path::Path) -> Option<Uri> {
        let text = path.to_str()?.replace('\\', "/");
        let mut uri = String::from(if text.starts_with('/') {
            "file://"
        } else {
            "file:///"
        });
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z'
                | b'a'..=b'z'
                | b'0'..=b'9'
                | b'/'
                | b'-'
                | b'.'
                | b'_'
                | b'~'
                | b':' => {
                    uri.push(char::from(byte));
                }
                _ => uri.push_str(&format!("%{byte:02X}")),
            }
        }
        Uri::from_str(&uri).ok()
    }

    #[test]
    fn file_uris_become_paths() {
        let uri = Uri::from_str("file:///tmp/My%20Files/st%C3%A4tus.mif").unwrap();
        assert_eq!(
            file_path(&uri),
            Some(std::path::PathBuf::from("/tmp/My Files/stätus.mif"))
        );
        assert_eq!(
            file_path(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
        assert_eq!(file_path(&Uri::from_str("file:///bad%FF").unwrap()), None);
    }

    #[test]
    fn paths_become_file_uris_and_back() {
        let path = std::path::Path::new("/tmp/My Files/stätus #1.mif");
        let uri = file_uri(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///tmp/My%20Files/st%C3%A4tus%20%231.mif"
        );
        assert_eq!(file_path(&uri).as_deref(), Some(path));
    }

    #[cfg(windows)]
    #[test]
    fn windows_paths_become_file_uris_and_back() {
        let path = std::path::Path::new(r"C:\Users\My Files\stätus #1.mif");
        let uri = file_uri(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///C:/Users/My%20Files/st%C3%A4tus%20%231.mif"
        );
        assert_eq!(file_path(&uri).as_deref(), Some(path));
    }

    #[test]
    fn the_encoding_comes_from_the_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wide.mif");
        std::fs::write(&path, b"\xFE\xFF\x00S").unwrap();
        let uri = file_uri(&path).unwrap();
        assert_eq!(encoding_on_disk(&uri), Encoding::Utf16Be);
        let missing = Uri::from_str("file:///no/such/file.mif").unwrap();
        assert_eq!(encoding_on_disk(&missing), Encoding::SingleByte);
    }
}
