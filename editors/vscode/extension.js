// Starts `cljourney lsp` for YAML files; the server skips YAML that is not a journey.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const settings = vscode.workspace.getConfiguration("cljourney");
  const [command, ...args] = settings.get("command", ["cljourney", "lsp"]);
  client = new LanguageClient(
    "cljourney",
    "cljourney",
    { command, args },
    {
      documentSelector: [{ scheme: "file", language: "yaml" }],
      initializationOptions: settings.get("initializationOptions", {}),
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
