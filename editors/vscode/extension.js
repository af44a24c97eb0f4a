// Starts `mif lsp` for MIF files; everything else is the language server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const settings = vscode.workspace.getConfiguration('mif');
  const server = { command: settings.get('path') || 'mif', args: ['lsp'] };
  const diagnosticsDocs = settings.get('diagnosticsDocs');
  client = new LanguageClient('mif', 'MIF language server', server, {
    documentSelector: [
      { scheme: 'file', language: 'mif' },
      { scheme: 'untitled', language: 'mif' },
    ],
    initializationOptions: diagnosticsDocs ? { diagnosticsDocs } : {},
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
