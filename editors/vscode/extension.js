// hpt-lint for VS Code: starts `hpt-lint lsp` and hands it YAML, JSON and Python files and
// the Python cells of Jupyter notebooks (sent as LSP 3.17 notebook documents, so the
// cells are linted together, top to bottom, as `hpt-lint check` lints the .ipynb).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('hpt-lint');
  const command = config.get('path') || 'hpt-lint';
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

async function start(context) {
  const config = vscode.workspace.getConfiguration('hpt-lint');
  const clientOptions = {
    // the selector lives in package.json ("hptLint"), where the manifest test reads it
    documentSelector: context.extension.packageJSON.hptLint.documentSelector,
    initializationOptions: { debounce: config.get('debounce') },
  };
  client = new LanguageClient('hpt-lint', 'hpt-lint', serverOptions(), clientOptions);
  await client.start();
}

async function activate(context) {
  await start(context);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('hpt-lint')) {
      if (client) {
        await client.stop();
      }
      await start(context);
    }
  }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
