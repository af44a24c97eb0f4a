// Starts `mif lsp` for MIF files; everything else is the language server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const command = vscode.workspace.getConfiguration('mif').get('path') || 'mif';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('mif', 'MIF language server', server, {
    documentSelector: [
      { scheme: 'file', language: 'mif' },
      { scheme: 'untitled', language: 'mif' },
    ],
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
