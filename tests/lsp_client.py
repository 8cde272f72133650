"""A real LSP client (pygls's) driving `cljourney lsp` over stdio, from synchronous tests.

The client runs on its own event loop in a thread; each call waits for its answer. Diagnostics
the server publishes are kept per document, and a test waits for the ones of a version.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.client import LanguageClient

T = TypeVar("T")
# What an editor says it supports; rename with prepareRename, as VS Code and Neovim do.
CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        rename=types.RenameClientCapabilities(prepare_support=True)
    ),
    workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True
        )
    ),
)
TIMEOUT = 30.0


class Client:
    def __init__(self, folder: Path, options: dict[str, Any] | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("cljourney-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.logs: list[str] = []
        self.shown: list[str] = []
        self.registered: list[types.Registration] = []
        self.changed = threading.Condition()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published.setdefault(params.uri, []).append(params)
                self.changed.notify_all()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def registered(params: types.RegistrationParams) -> None:
            self.registered.extend(params.registrations)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(params: types.ShowMessageParams) -> None:
            self.shown.append(params.message)

        self.run(self.client.start_io(sys.executable, "-m", "cljourney", "lsp", cwd=str(folder)))
        self.capabilities = self.run(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=CAPABILITIES,
                    workspace_folders=[types.WorkspaceFolder(folder.as_uri(), folder.name)],
                    initialization_options=options,
                )
            )
        ).capabilities
        self.client.initialized(types.InitializedParams())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT)

    def notify(self, method: str, params: Any) -> None:
        self.loop.call_soon_threadsafe(self.client.protocol.notify, method, params)

    def open(self, path: Path, text: str | None = None) -> str:
        """Open `path` (with `text` unsaved); one already open gets `text` as a change."""
        uri = path.resolve().as_uri()
        source = path.read_text(encoding="utf-8") if text is None else text
        if uri in self.versions:
            self.change(uri, source)
            return uri
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri, "yaml", 1, source)
        self.notify(types.TEXT_DOCUMENT_DID_OPEN, types.DidOpenTextDocumentParams(item))
        return uri

    def latest(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics of the document's current version."""
        return self.diagnostics(uri, self.versions[uri])

    def change(self, uri: str, text: str) -> int:
        """Replace the whole text (unsaved); the new version."""
        self.versions[uri] += 1
        version = self.versions[uri]
        document = types.VersionedTextDocumentIdentifier(version, uri)
        whole = types.TextDocumentContentChangeWholeDocument(text)
        params = types.DidChangeTextDocumentParams(document, [whole])
        self.notify(types.TEXT_DOCUMENT_DID_CHANGE, params)
        return version

    def diagnostics(self, uri: str, version: int = 1) -> list[types.Diagnostic]:
        """The diagnostics published for `version` of `uri` (waits for them)."""

        def ready() -> bool:
            return any(p.version == version for p in self.published.get(uri, []))

        with self.changed:
            assert self.changed.wait_for(ready, TIMEOUT), f"no diagnostics for {uri} v{version}"
            found = [p for p in self.published[uri] if p.version == version]
        return list(found[-1].diagnostics)

    def until(
        self, uri: str, wanted: Callable[[list[types.Diagnostic]], bool]
    ) -> list[types.Diagnostic]:
        """Wait for the latest diagnostics of `uri` to be `wanted` (the project rules join the
        document's own findings once the workspace folder's journeys are read)."""

        def ready() -> bool:
            published = self.published.get(uri)
            return bool(published) and wanted(list(published[-1].diagnostics))

        with self.changed:
            assert self.changed.wait_for(ready, TIMEOUT), self.published.get(uri, [])[-1:]
            return list(self.published[uri][-1].diagnostics)

    def request(self, method: str, params: Any) -> Any:
        async def answer() -> Any:
            return await self.client.protocol.send_request_async(method, params)

        return self.run(answer())

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None))
            self.client.exit(None)
            self.run(self.client.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)
            self.loop.close()


def at(uri: str, line: int, character: int) -> dict[str, Any]:
    """Text document + position arguments (0-based, as LSP counts)."""
    return {
        "text_document": types.TextDocumentIdentifier(uri),
        "position": types.Position(line, character),
    }
