"""`cljourney lsp` in a real editor: Neovim headless starts it as its README snippet does (the
0.7-0.9 form, `start_client` + `buf_attach_client`, which Debian's Neovim has), shows the
findings and answers hover. Skipped where Neovim is not installed (`apt-get install neovim`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RULE_CASES

pytestmark = pytest.mark.engines

SCRIPT = """
local out = {}
local client = vim.lsp.start_client({
  name = "cljourney",
  cmd = { vim.env.PY, "-m", "cljourney", "lsp" },
  root_dir = vim.env.ROOT,
})
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.FILE))
vim.lsp.buf_attach_client(0, client)
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(out.diagnostics, { d.lnum, d.col, d.source, lsp.code })
end
local at = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 22, character = 15 } }
local answers = vim.lsp.buf_request_sync(0, "textDocument/hover", at, 10000) or {}
local answer = answers[client] and answers[client].result
out.hover = answer and answer.contents.value or vim.NIL
local found = vim.lsp.buf_request_sync(0, "textDocument/definition", at, 10000) or {}
out.definition = found[client] and found[client].result or vim.NIL
vim.fn.writefile({ vim.fn.json_encode(out) }, vim.env.OUT)
vim.lsp.stop_client(client)
vim.cmd("qa!")
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_shows_the_findings_and_hovers(tmp_path: Path) -> None:
    journey = tmp_path / "journey.yaml"
    journey.write_text((RULE_CASES / "handoff-gap" / "fail.yaml").read_text(), encoding="utf-8")
    script = tmp_path / "drive.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "PY": sys.executable,
        "ROOT": str(tmp_path),
        "FILE": str(journey),
        "OUT": str(out),
    }
    subprocess.run(
        ["nvim", "--headless", "--clean", "-u", "NONE", "-c", f"luafile {script}"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=90,
        capture_output=True,
    )
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen["diagnostics"] == [[22, 12, "cljourney", "handoff-gap"]]
    assert seen["hover"].startswith("**touchpoint** `kickoff`: Kick-off call")
    assert [d["range"]["start"] for d in seen["definition"]] == [{"line": 22, "character": 12}]
