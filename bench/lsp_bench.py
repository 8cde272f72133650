"""`cljourney lsp` latency through a real LSP client (pygls's) over stdio.

On a 1,000-touchpoint journey (bench/corpus.py): after an edit (a `why` changed, the text sent
unsaved), the time from the debounce ending to the diagnostics arriving (time from the change
sent to the diagnostics received, less the server's debounce), median of 20 edits; and hover and
go-to-definition latency on a `next` reference, median and slowest of 50 each.

    python bench/lsp_bench.py [--touchpoints 1000] [--edits 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import journey_text
from lsprotocol import types

from cljourney.lsp.checking import Checker, Settings
from cljourney.lsp.server import DEBOUNCE
from lsp_client import Client, at


def _reference(text: str) -> tuple[int, int]:
    """A `next:` reference: 0-based line and the character of its first id."""
    for number, line in enumerate(text.splitlines()):
        if "next: [" in line:
            return number, line.index("next: [") + len("next: [") + 1
    raise SystemExit("the journey has no `next` list")


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    text = journey_text(random.Random(7), args.touchpoints, "bench")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(text, encoding="utf-8")
        client = Client(Path(tmp))
        try:
            uri = client.open(path)
            start = time.perf_counter()
            found = client.latest(uri)
            print(f"{args.touchpoints} touchpoints, {len(text):,} bytes, {len(found)} findings")
            print(f"first check on open: {(time.perf_counter() - start) * 1000:.0f} ms")
            lines = text.splitlines(keepends=True)
            whys = [n for n, line in enumerate(lines) if line.lstrip().startswith("why:")]
            after: list[float] = []
            for edit in range(args.edits):
                number = whys[(edit * 37) % len(whys)]
                lines[number] = lines[number].rstrip("\n") + " Now.\n"
                sent = time.perf_counter()
                version = client.change(uri, "".join(lines))
                client.diagnostics(uri, version)
                after.append(time.perf_counter() - sent - DEBOUNCE)
            print(f"diagnostics after the {DEBOUNCE * 1000:.0f} ms debounce: {_ms(after)}")
            checker = Checker(Settings(), [Path(tmp)])
            alone: list[float] = []
            for _ in range(args.edits):
                sent = time.perf_counter()
                checker.check(path, "".join(lines))
                alone.append(time.perf_counter() - sent)
            print(f"the same check in-process, no server (the pipeline's share): {_ms(alone)}")
            line, character = _reference("".join(lines))
            for method, make in (
                (types.TEXT_DOCUMENT_HOVER, types.HoverParams),
                (types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams),
            ):
                times: list[float] = []
                for _ in range(50):
                    sent = time.perf_counter()
                    answer = client.request(method, make(**at(uri, line, character)))
                    times.append(time.perf_counter() - sent)
                    assert answer, method
                print(f"{method}: {_ms(times)}")
        finally:
            client.close()


if __name__ == "__main__":
    main()
