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
mod hover;
mod position;
mod symbols;

pub use edits::text_edits;
pub use position::LineMap;

use std::collections::HashMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, HoverRequest, RangeFormatting, Request as _,
};
use lsp_types::{
    CompletionOptions, CompletionResponse, DocumentSymbolResponse, Hover, HoverContents,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Uri,
};

use crate::check::{judge_resize, CheckOptions};
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
        ..ServerCapabilities::default()
    }
}

/// A document the client has open, parsed once per change.
struct OpenDocument {
    doc: Document,
    version: i32,
    /// How the check sees the file: its canonical path, when it has one.
    check_options: CheckOptions,
}

impl OpenDocument {
    /// Parse the client's text as a file in `encoding` (the one on disk).
    fn new(uri: &Uri, text: String, encoding: Encoding, version: i32) -> OpenDocument {
        let doc = Document::from_source(Source::from_text(text, encoding));
        let check_options =
            file_path(uri).map_or_else(CheckOptions::default, |path| CheckOptions::for_path(&path));
        OpenDocument {
            doc,
            version,
            check_options,
        }
    }
}

struct Server<'a> {
    connection: &'a Connection,
    snippets: bool,
    /// Where diagnostic codes link to ([`docs_location`]).
    docs: Option<Uri>,
    documents: HashMap<Uri, OpenDocument>,
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
            other => Err((
                ErrorCode::MethodNotFound,
                format!("mif lsp does not handle {other}"),
            )),
        }
    }

    /// Minimal edits from the current text to the formatter's output; with
    /// a range, only the edits that touch it. The output has passed the
    /// formatter's safety net and the check's size rules, as `mif fmt`'s.
    fn format(
        &self,
        document: &OpenDocument,
        range: Option<lsp_types::Range>,
    ) -> Result<Vec<TextEdit>, (ErrorCode, String)> {
        let doc = &document.doc;
        let failed = |why: String| (ErrorCode::RequestFailed, why);
        let formatted = crate::printer::format(doc, &FormatOptions::default())
            .map_err(|e| failed(e.to_string()))?;
        let encoding = doc.source.encoding;
        let size = |text: &str| (encoding.bom().len() + octets(text, encoding)) as u64;
        let judgement = judge_resize(size(doc.text()), size(&formatted), || {
            document.check_options.profile_of(doc)
        });
        if let Some(refusal) = judgement.refusals.first() {
            return Err(failed(format!(
                "not formatted: the formatted file would be wrong: {}",
                refusal.diagnostic.message
            )));
        }
        let only = range.map(|r| LineMap::new(doc.text()).span(r));
        Ok(text_edits(doc.text(), &formatted, only))
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
                self.publish(&uri)
            }
            DidSaveTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return Ok(());
                };
                self.publish(&params.text_document.uri)
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

/// The `file:` URI of a local absolute path, percent-encoded.
fn file_uri(path: &std::path::Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from(if text.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' | b':' => {
                uri.push(char::from(byte));
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&uri).ok()
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
