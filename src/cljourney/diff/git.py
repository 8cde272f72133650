"""Journey files from the working tree or from a git revision (`REV:path`, `--base REV`).

Git is called so that no user text can become an option: a revision is first resolved with
`git rev-parse -q --verify --end-of-options "REV^{commit}"` (which refuses option-like text and
unknown names alike), and only the hex commit id it prints is given to `ls-tree`, `merge-base`
and `cat-file`; paths go after `--` with literal pathspecs. Every problem is a UsageError.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cljourney.check.discover import SKIP_DIRS, find_targets
from cljourney.check.pipeline import RawFile, read_raw
from cljourney.diff.pairing import SourceFile
from cljourney.errors import UsageError
from cljourney.load.detect import is_yaml_name

_HEX = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
# Fixed environment: literal pathspecs (no `:(glob)` magic from paths), no pager, no prompts.
_ENV = {
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_PAGER": "cat",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "LC_ALL": "C",
}


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    kind: str
    oid: str
    path: str


class Git:
    """A git repository around `cwd`, queried with fixed argument shapes."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = cwd or Path.cwd()
        out = self._run(["rev-parse", "--show-toplevel", "--show-prefix"], what="")
        lines = out.decode("utf-8", "surrogateescape").split("\n")
        self.toplevel = Path(lines[0])
        self.prefix = lines[1] if len(lines) > 1 else ""

    def _run(self, args: Sequence[str], *, what: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                check=False,
                env={**os.environ, **_ENV},
            )
        except FileNotFoundError:
            raise UsageError(
                "git is not installed or not on PATH; REV:path and --base need it"
            ) from None
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()
            if "not a git repository" in err:
                raise UsageError(
                    f"{self.cwd}: not a git repository (or any of its parents); REV:path and"
                    " --base read journeys from git, so run cljourney inside the repository"
                )
            first = err.splitlines()[0] if err else f"git exited with {done.returncode}"
            detail = first.removeprefix("fatal: ").removeprefix("error: ")
            raise UsageError(f"{what}: {detail}" if what else detail)
        return done.stdout

    def resolve(self, rev: str) -> str:
        """The commit id `rev` names; refuses option-like text and unknown names."""
        if not rev:
            raise UsageError("empty revision: write REV:path, e.g. HEAD~1:journeys/")
        try:
            out = self._run(
                ["rev-parse", "-q", "--verify", "--end-of-options", f"{rev}^{{commit}}"], what=rev
            )
        except UsageError:
            raise UsageError(
                f"unknown revision {rev!r}: no commit by that name in this repository"
                " (check the branch, tag or commit; fetch it first in a shallow CI checkout)"
            ) from None
        commit = out.decode("ascii", "replace").strip()
        if not _HEX.match(commit):
            raise UsageError(f"unknown revision {rev!r}")
        return commit

    def merge_base(self, commit: str, other: str) -> str:
        assert _HEX.match(commit) and _HEX.match(other)
        try:
            out = self._run(["merge-base", commit, other], what="merge-base")
        except UsageError:
            raise UsageError(
                "no merge base: the revision and HEAD share no history here (in a shallow CI"
                " checkout, fetch the history: actions/checkout with `fetch-depth: 0`)"
            ) from None
        return out.decode("ascii").strip()

    def ls_tree(self, commit: str, path: str) -> list[TreeEntry]:
        """Blobs at or under repository path `path` ("" for the whole tree) in `commit`."""
        assert _HEX.match(commit)
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if path:
            args += ["--", path]
        entries: list[TreeEntry] = []
        for record in self._run(args, what="ls-tree").split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, oid = meta.decode("ascii").split(" ")
            entries.append(TreeEntry(mode, kind, oid, name.decode("utf-8", "surrogateescape")))
        return entries

    def read_blobs(self, oids: Sequence[str]) -> list[bytes]:
        """Contents of blobs, in order, through one `git cat-file --batch`."""
        if not oids:
            return []
        assert all(_HEX.match(oid) for oid in oids)
        out = self._run(
            ["cat-file", "--batch"],
            what="cat-file",
            stdin="".join(f"{oid}\n" for oid in oids).encode("ascii"),
        )
        blobs: list[bytes] = []
        offset = 0
        for _ in oids:
            end = out.index(b"\n", offset)
            header = out[offset:end].split(b" ")
            if len(header) != 3:
                raise UsageError(f"cannot read object {header[0].decode('ascii', 'replace')}")
            size = int(header[2])
            blobs.append(out[end + 1 : end + 1 + size])
            offset = end + 1 + size + 1
        return blobs

    def repo_path(self, user_path: str, *, from_cwd: bool) -> str:
        """A path as the repository sees it ("" for the root); from the root unless `from_cwd`.

        Like git's own `REV:path`, a path is relative to the repository root unless it starts
        with `./` or `../`, which make it relative to the current directory.
        """
        if os.path.isabs(user_path):
            try:
                relative = os.path.relpath(
                    os.path.realpath(user_path), os.path.realpath(self.toplevel)
                )
            except ValueError:
                relative = ".."
            joined = relative.replace(os.sep, "/")
        else:
            cleaned = user_path.replace(os.sep, "/")
            base = (
                self.prefix
                if from_cwd or cleaned.startswith(("./", "../")) or cleaned in (".", "..")
                else ""
            )
            joined = posixpath.join(base, cleaned)
        normal = posixpath.normpath(joined)
        if normal == ".." or normal.startswith("../"):
            raise UsageError(f"{user_path}: outside the git repository {self.toplevel}")
        return "" if normal == "." else normal


def _skipped(path: str) -> bool:
    parts = path.split("/")
    return any(part in SKIP_DIRS for part in parts[:-1]) or not is_yaml_name(parts[-1])


def read_revision(
    git: Git, commit: str, path: str, label: str, shown: str = ""
) -> list[SourceFile] | None:
    """Journey files at repository path `path` in `commit`; None when nothing is there.

    A file is read as named (it must be a journey); a directory is searched like `validate`
    searches one. Display paths are `label:path` (`shown` is put before a path read inside a
    submodule); `rel` is the path from the repository root. Submodules are read at the commit
    `commit` records for them, so they compare as the working tree shows them.
    """
    entries = git.ls_tree(commit, path)
    if not entries:
        return _inside_submodule(git, commit, path, label, shown)
    explicit = any(e.path == path and e.kind == "blob" for e in entries)
    sources: list[SourceFile] = []
    if explicit:
        entries = [e for e in entries if e.path == path and e.kind == "blob"]
    else:
        inside = path + "/" if path else ""
        under = [e for e in entries if e.path == path or e.path.startswith(inside)]
        if not under:
            return None
        for link in (e for e in under if e.kind == "commit"):
            if not any(part in SKIP_DIRS for part in link.path[len(inside) :].split("/")):
                sources.extend(_submodule(git, link, "", label, shown) or [])
        entries = [
            e
            for e in under
            if e.kind == "blob" and e.mode != "120000" and not _skipped(e.path[len(inside) :])
        ]
    for entry, data in zip(entries, git.read_blobs([e.oid for e in entries]), strict=True):
        # Config globs match the path the file has in the working tree.
        raw = RawFile(data, f"{label}:{shown}{entry.path}", git.toplevel / entry.path, explicit)
        sources.append(SourceFile(entry.path, raw))
    return sources


def _inside_submodule(
    git: Git, commit: str, path: str, label: str, shown: str
) -> list[SourceFile] | None:
    """`path` below a submodule of `commit` (`ls-tree` stops at the submodule): read it there."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        link = next(
            (e for e in git.ls_tree(commit, folder) if e.path == folder and e.kind == "commit"),
            None,
        )
        if link is not None:
            return _submodule(git, link, "/".join(parts[depth:]), label, shown)
    return None


def _submodule(
    git: Git, link: TreeEntry, path: str, label: str, shown: str
) -> list[SourceFile] | None:
    """Files at `path` inside the submodule `link`, at the commit the superproject records.

    A submodule that is not checked out has no files on either side and is passed over.
    """
    folder = git.toplevel / link.path
    if not (folder / ".git").exists():
        return None
    inner = Git(folder)
    try:
        commit = inner.resolve(link.oid)
    except UsageError:
        raise UsageError(
            f"{link.path}: the submodule commit {link.oid[:12]} recorded at {label} is not in"
            " the submodule; fetch it (git submodule update --init)"
        ) from None
    found = read_revision(inner, commit, path, label, f"{shown}{link.path}/")
    if found is None:
        return None
    return [SourceFile(posixpath.join(link.path, s.rel), s.raw) for s in found]


def _relative(sources: list[SourceFile], root: str) -> list[SourceFile]:
    """`rel` from the named file's folder or the named directory, as `read_worktree` gives it."""
    relative: list[SourceFile] = []
    for source in sources:
        if source.rel == root:
            rel = posixpath.basename(root)
        else:
            rel = posixpath.relpath(source.rel, root) if root else source.rel
        relative.append(SourceFile(rel, source.raw))
    return relative


def read_worktree(path: Path) -> list[SourceFile]:
    """Journey files at a working-tree file or directory (UsageError when it does not exist)."""
    sources: list[SourceFile] = []
    found = find_targets([path])
    if found.notes:  # a side read in part would show its unread journeys as removed or added
        raise UsageError(f"{found.notes[0].split(';')[0]}; diff compares whole sides")
    for target in found.targets:
        rel = target.path.name if target.explicit else target.path.relative_to(path).as_posix()
        sources.append(SourceFile(rel, read_raw(target)))
    return sources


def read_spec(spec: str) -> list[SourceFile]:
    """OLD or NEW: an existing file or directory, else `REV:path` read from git."""
    if Path(spec).exists():
        return read_worktree(Path(spec))
    rev, colon, path = spec.partition(":")
    if not colon:
        raise UsageError(
            f"{spec}: no such file or directory (a git revision of a file is written REV:path,"
            " e.g. HEAD~1:journeys/b2b.yaml)"
        )
    git = Git()
    commit = git.resolve(rev)
    repo_path = git.repo_path(path, from_cwd=False)
    sources = read_revision(git, commit, repo_path, rev)
    if sources is None:
        missing = f"{spec}: '{repo_path or '.'}' does not exist in revision {rev!r}"
        raise UsageError(missing + _from_cwd_hint(git, commit, rev, path))
    return _relative(sources, repo_path)


def _from_cwd_hint(git: Git, commit: str, rev: str, path: str) -> str:
    """From a subfolder, `REV:b2b.yaml` is read from the repository root (as git does); when the
    path exists from the current directory instead, say how to name it."""
    if not git.prefix or os.path.isabs(path) or path.replace(os.sep, "/").startswith(("./", "../")):
        return ""
    here = git.repo_path(path, from_cwd=True)
    if not git.ls_tree(commit, here):
        return "; a path after REV: is from the repository root (REV:./path is from here)"
    return (
        f"; a path after REV: is from the repository root, and '{here}' exists:"
        f" write {rev}:./{path} or {rev}:{here}"
    )


@dataclass(frozen=True)
class BaseSides:
    old: list[SourceFile]
    new: list[SourceFile]
    old_label: str


def read_base(rev: str, paths: Sequence[Path]) -> BaseSides:
    """The working tree's journeys at `paths` and the same paths at the merge base of REV and HEAD.

    A path may be missing on one side (a journey added or deleted since): it counts as whole
    journeys added or removed. Missing on both sides is a usage error.
    """
    git = Git()
    base = git.merge_base(git.resolve(rev), git.resolve("HEAD"))
    label = base[:12]
    old: list[SourceFile] = []
    new: list[SourceFile] = []
    for path in paths or [Path(".")]:
        repo_path = git.repo_path(str(path), from_cwd=True)
        before = read_revision(git, base, repo_path, label)
        exists = path.exists()
        if before is None and not exists:
            raise UsageError(f"{path}: no such file or directory, here or at {rev} ({label})")
        old.extend(before or [])
        if exists:
            found = read_worktree(path)
            prefix = repo_path if path.is_dir() else posixpath.dirname(repo_path)
            new.extend(SourceFile(posixpath.join(prefix, s.rel), s.raw) for s in found)
    return BaseSides(old, new, f"{rev} (merge base {label})")
