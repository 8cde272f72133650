"""`cljourney lsp`: the language server (pygls, lsprotocol types). Each request is answered by one
function of a feature module; this module keeps the session (open documents, the checker), runs
the checks off the event loop (debounced while typing), and makes sure no request crashes the
server: an unexpected error is logged to the client and answered as an LSP error."""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from cljourney import __version__
from cljourney.check.configfile import CONFIG_FILES
from cljourney.lsp import actions, completion, navigate, symbols
from cljourney.lsp import rename as renaming
from cljourney.lsp.checking import Checked, Checker, Settings, SetupError, unknown_options
from cljourney.lsp.diagnostics import diagnostics
from cljourney.lsp.documents import Documents, Open
from cljourney.lsp.hover import hover
from cljourney.lsp.text import Text

DEBOUNCE = 0.3
"""Seconds of quiet after a change before the unsaved text is checked."""

P = TypeVar("P")
R = TypeVar("R")


class Session:
    """One editor session: the open documents, the checker built from the client's options."""

    def __init__(self, server: LanguageServer, debounce: float) -> None:
        self.server = server
        self.debounce = debounce
        self.documents = Documents()
        self.checker = Checker(Settings())
        self._told: str | None = None  # the setup problem last shown, shown once

    # -- logging and guarding ---------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.server.window_log_message(types.LogMessageParams(kind, message))

    def guarded(self, handler: Callable[[P], R]) -> Callable[[P], R]:
        """`handler`, with any unexpected error logged and answered as an LSP internal error."""

        @functools.wraps(handler)
        def run(params: P) -> R:
            try:
                return handler(params)
            except JsonRpcException:
                raise
            except Exception as exc:
                self.log(f"cljourney lsp: {handler.__name__} failed:\n{traceback.format_exc()}")
                raise JsonRpcInternalError(
                    f"cljourney: {type(exc).__name__}: {exc} (a bug; the log has the details)"
                ) from None

        return run

    # -- lifecycle and diagnostics ----------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        folders = [_path(f.uri) for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [_path(params.root_uri)]
        settings = Settings.read(params.initialization_options, folders[0] if folders else None)
        self.checker = Checker(settings, folders)
        for problem in unknown_options(params.initialization_options):
            self.server.window_show_message(
                types.ShowMessageParams(types.MessageType.Warning, f"cljourney: {problem}")
            )

    def initialized(self, params: types.InitializedParams) -> None:
        """Ask to hear of journeys and configs changed on disk (a checkout, another editor)."""
        capabilities = self.server.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is None or not watched.dynamic_registration:
            return
        globs = ["**/*.yaml", "**/*.yml", *(f"**/{name}" for name in CONFIG_FILES)]
        options = types.DidChangeWatchedFilesRegistrationOptions(
            [types.FileSystemWatcher(glob) for glob in globs]
        )
        registration = types.Registration(
            "cljourney-watch", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
        )
        self.server.client_register_capability(types.RegistrationParams([registration]))

    def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        """Files changed on disk: read their journey ids again and check every open document
        again (a config or another journey's id may change its findings)."""
        paths = [_path(c.uri) for c in params.changes if c.uri.endswith((".yaml", ".yml"))]
        asyncio.get_running_loop().create_task(self._reread(paths))

    async def _reread(self, paths: list[Path]) -> None:
        try:  # off the event loop: a checkout may change a thousand files
            await asyncio.get_running_loop().run_in_executor(None, self._saved, paths)
        except Exception:
            self.log(f"cljourney lsp: reading changed files failed:\n{traceback.format_exc()}")
        for uri in list(self.server.workspace.text_documents):
            self.schedule(uri, 0.0)

    def _saved(self, paths: list[Path]) -> None:
        for path in paths:
            self.checker.saved(path)

    def opened(self, params: types.DidOpenTextDocumentParams) -> None:
        self.schedule(params.text_document.uri, 0.0)

    def changed(self, params: types.DidChangeTextDocumentParams) -> None:
        self.schedule(params.text_document.uri, self.debounce)

    def saved(self, params: types.DidSaveTextDocumentParams) -> None:
        document = self.documents.get(params.text_document.uri)
        self.checker.saved(document.path)
        self.schedule(params.text_document.uri, 0.0)

    def closed(self, params: types.DidCloseTextDocumentParams) -> None:
        document = self.documents.close(params.text_document.uri)
        if document is not None and document.pending is not None:
            document.pending.cancel()
        self.publish(params.text_document.uri, [], None)

    def schedule(self, uri: str, delay: float) -> None:
        """Check `uri` after `delay` seconds, replacing a check not yet started."""
        document = self.documents.get(uri)
        if document.pending is not None:
            document.pending.cancel()
        document.pending = asyncio.get_running_loop().create_task(self.check(document, delay))

    async def check(self, document: Open, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            text = self.server.workspace.get_text_document(document.uri)
            source, version = text.source, text.version
            loop = asyncio.get_running_loop()
            checked = await loop.run_in_executor(None, self._check, document.path, source)
            if text.version != version or document.uri not in self.server.workspace.text_documents:
                return  # changed meanwhile: the check scheduled by that change publishes
            self.tell(checked.problem)
            if checked.loaded is not None and checked.loaded.source is not None:
                document.keep(source, checked.loaded.source.tree)
            document.findings = checked.findings
            found = diagnostics(checked.findings, Text(source, text.position_codec), document.uri)
            self.publish(document.uri, found, version)
            if checked.waiting is not None:
                await asyncio.wrap_future(checked.waiting)
                self.schedule(document.uri, 0.0)  # again, with the project rules
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log(f"cljourney lsp: checking {document.uri} failed:\n{traceback.format_exc()}")

    def _check(self, path: Path, source: str) -> Checked:
        """Runs in a worker thread: no messages to the client from here."""
        try:
            return self.checker.check(path, source)
        except SetupError as exc:
            return Checked((), problem=str(exc))

    def tell(self, problem: str | None) -> None:
        """Show a broken config or baseline once (until it changes), as `validate` would stop."""
        if problem is not None and problem != self._told:
            message = f"cljourney: {problem} (no findings are shown until it is fixed)"
            self.server.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, message)
            )
        self._told = problem

    def publish(self, uri: str, found: list[types.Diagnostic], version: int | None) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, found, version)
        )

    # -- requests ----------------------------------------------------------------------------

    def at(self, uri: str) -> tuple[Any, Text, TextDocument]:
        """The tree to answer from (the last one that parsed), the text and the document."""
        document = self.server.workspace.get_text_document(uri)
        root = self.documents.get(uri).tree_of(document.source)
        return root, Text.of(document), document

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        root, text, _ = self.at(params.text_document.uri)
        return hover(root, text, *text.cursor(params.position))

    def definition(self, params: types.DefinitionParams) -> list[types.Location]:
        root, text, _ = self.at(params.text_document.uri)
        return navigate.definition(root, text, params.text_document.uri, params.position)

    def references(self, params: types.ReferenceParams) -> list[types.Location]:
        root, text, _ = self.at(params.text_document.uri)
        declaration = params.context.include_declaration
        uri = params.text_document.uri
        return navigate.references(root, text, uri, params.position, declaration)

    def prepare_rename(self, params: types.PrepareRenameParams) -> types.Range:
        root, text, _ = self.at(params.text_document.uri)
        return renaming.prepare(root, text, params.position)

    def rename(self, params: types.RenameParams) -> types.WorkspaceEdit:
        _, text, document = self.at(params.text_document.uri)
        return renaming.rename(self.documents.get(document.uri).path, text, document, params)

    def completion(self, params: types.CompletionParams) -> types.CompletionList:
        root, text, _ = self.at(params.text_document.uri)
        return completion.complete(root, text, params.position)

    def symbols(self, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        root, text, _ = self.at(params.text_document.uri)
        return symbols.outline(root, text)

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        root, text, document = self.at(params.text_document.uri)
        findings = self.documents.get(document.uri).findings
        return actions.code_actions(root, text, document.uri, findings, params)


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or Path.cwd())


def build(debounce: float = DEBOUNCE) -> LanguageServer:
    """The server with every feature registered (start it with `.start_io()`)."""
    server = LanguageServer("cljourney", __version__)
    session = Session(server, debounce)
    guard = session.guarded
    features: list[tuple[str, Callable[[Any], Any], Any]] = [
        (types.INITIALIZE, session.initialize, None),
        (types.INITIALIZED, session.initialized, None),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, session.files_changed, None),
        (types.TEXT_DOCUMENT_DID_OPEN, session.opened, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, session.changed, None),
        (types.TEXT_DOCUMENT_DID_SAVE, session.saved, None),
        (types.TEXT_DOCUMENT_DID_CLOSE, session.closed, None),
        (types.TEXT_DOCUMENT_HOVER, session.hover, None),
        (types.TEXT_DOCUMENT_DEFINITION, session.definition, None),
        (types.TEXT_DOCUMENT_REFERENCES, session.references, None),
        (types.TEXT_DOCUMENT_PREPARE_RENAME, session.prepare_rename, None),
        (types.TEXT_DOCUMENT_RENAME, session.rename, types.RenameOptions(prepare_provider=True)),
        (types.TEXT_DOCUMENT_COMPLETION, session.completion, completion.OPTIONS),
        (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, session.symbols, None),
        (types.TEXT_DOCUMENT_CODE_ACTION, session.code_actions, actions.OPTIONS),
    ]
    for method, handler, options in features:
        server.feature(method, options)(guard(handler))
    return server


def main() -> None:
    """Serve on stdin and stdout until the client says exit (or closes stdin). The exit code is
    the protocol's: 1 for an `exit` without a `shutdown` request before it, else 0. pygls works
    that code out, then its loop swallows the SystemExit carrying it; it is raised again here."""
    server = build()
    said: set[str] = set()

    @server.feature(types.SHUTDOWN)
    def shutdown(*_: object) -> None:
        said.add(types.SHUTDOWN)

    @server.feature(types.EXIT)
    def exit_(*_: object) -> None:
        said.add(types.EXIT)

    server.start_io()
    if types.EXIT in said and types.SHUTDOWN not in said:
        raise SystemExit(1)
