// The VS Code client of the asl-lint language server (`asl-lint lsp`, LSP over stdio).

import * as vscode from 'vscode';
import {
  DocumentSelector,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';
import { ensureBundledExecutable, needsShell, resolveServerPath, ServerResolution } from './serverPath';

/** The client id: the client library reads `aslLint.trace.server` because of it. */
const CLIENT_ID = 'aslLint';
/** Also the name of the output channel. */
const CLIENT_NAME = 'asl-lint';
const SERVER_PATH_SETTING = 'aslLint.server.path';
const INSTALL_DOCS = 'https://github.com/asl-lint/asl-lint/tree/main/editors/vscode#install';

/**
 * Files the server is offered. It lints every `asl`/`asl-yaml` document; of
 * plain JSON/JSONC documents, only those whose top-level object has both
 * `StartAt` and `States` (it ignores the rest), and Terraform documents
 * (`terraform`/`hcl`, from a Terraform extension) that hold a state machine.
 * Only documents on disk or not yet saved: not diff views, settings or other
 * virtual documents.
 */
const DOCUMENT_SELECTOR: DocumentSelector = ['asl', 'asl-yaml', 'json', 'jsonc', 'yaml', 'terraform', 'hcl'].flatMap((language) =>
  ['file', 'untitled'].map((scheme) => ({ scheme, language })),
);

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
/** Starts and stops run one at a time, in order. */
let queue: Promise<void> = Promise.resolve();

function enqueue(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task).catch((err: unknown) => log(`unexpected error: ${describe(err)}`));
  return queue;
}

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('aslLint.restartServer', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SERVER_PATH_SETTING)) {
        log(`${SERVER_PATH_SETTING} changed; restarting the server`);
        void restart(context);
      }
    }),
    // In Restricted Mode the workspace's `aslLint.server.path` is ignored;
    // once the workspace is trusted it applies.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart(context)),
  );

  void enqueue(() => startClient(context));
}

export function deactivate(): Promise<void> {
  return enqueue(stopClient);
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  return enqueue(async () => {
    await stopClient();
    await startClient(context);
  });
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    // Stops the server if it runs, and unregisters the client's features.
    await running.dispose(2000);
  } catch (err) {
    log(`stopping the server failed: ${describe(err)}`);
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const resolution = findServer(context);
  if (resolution.kind !== 'found') {
    reportMissingServer(resolution);
    return;
  }

  const serverPath = resolution.path;
  const shell = needsShell(serverPath, process.platform);
  // No `transport` here on purpose: with `TransportKind.stdio` the client
  // library appends `--stdio` to the arguments. Leaving it out still talks
  // LSP over the child's stdin/stdout, and runs exactly `asl-lint lsp`.
  const executable: Executable = {
    command: shell ? `"${serverPath}"` : serverPath,
    args: ['lsp'],
    options: shell ? { shell: true } : {},
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };

  log(`starting ${serverPath} lsp (found via ${describeSource(resolution.source)})`);
  const started = new LanguageClient(CLIENT_ID, CLIENT_NAME, { run: executable, debug: executable }, clientOptions);
  try {
    await started.start();
  } catch (err) {
    log(`the server did not start: ${describe(err)}`);
    try {
      await started.dispose(2000);
    } catch {
      // It never ran; nothing to stop.
    }
    void vscode.window
      .showErrorMessage(
        `asl-lint: the language server (${serverPath} lsp) did not start: ${describe(err)}`,
        'Show Output',
        'Open Settings',
      )
      .then((choice) => {
        if (choice === 'Show Output') {
          output?.show(true);
        } else if (choice === 'Open Settings') {
          void openSetting();
        }
      });
    return;
  }
  client = started;
  const info = started.initializeResult?.serverInfo;
  log(`server running${info ? `: ${info.name}${info.version ? ` ${info.version}` : ''}` : ''}`);
}

function findServer(context: vscode.ExtensionContext): ServerResolution {
  const setting = vscode.workspace.getConfiguration().get<string>(SERVER_PATH_SETTING, '');
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (ensureBundledExecutable(context.extensionPath, process.platform)) {
    log('made the bundled binary executable (the .vsix did not keep its mode)');
  }
  return resolveServerPath({
    setting,
    workspaceFolder: folder?.uri.fsPath,
    extensionPath: context.extensionPath,
  });
}

function reportMissingServer(resolution: Exclude<ServerResolution, { kind: 'found' }>): void {
  let message: string;
  if (resolution.kind === 'invalidSetting') {
    message = `asl-lint: ${SERVER_PATH_SETTING} is "${resolution.setting}", but ${resolution.reason}. Fix the setting or clear it to use asl-lint from PATH.`;
  } else {
    message =
      'asl-lint: the asl-lint program was not found (no bundled binary, nothing on PATH). ' +
      'Install it (cargo install --path crates/asl-lint) or set aslLint.server.path.';
  }
  log(message);
  for (const candidate of resolution.tried) {
    log(`  looked at ${candidate}`);
  }
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Install Instructions', 'Show Output').then((choice) => {
    if (choice === 'Open Settings') {
      void openSetting();
    } else if (choice === 'Install Instructions') {
      void vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS));
    } else if (choice === 'Show Output') {
      output?.show(true);
    }
  });
}

function openSetting(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', SERVER_PATH_SETTING);
}

function describeSource(source: 'setting' | 'bundled' | 'path'): string {
  switch (source) {
    case 'setting':
      return SERVER_PATH_SETTING;
    case 'bundled':
      return 'the binary bundled with the extension';
    case 'path':
      return 'PATH';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function log(message: string): void {
  output?.appendLine(`[${new Date().toISOString()}] ${message}`);
}
