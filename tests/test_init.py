"""`cljourney init`: `--id` and `--name`, the id taken from the file name, the short annotated
`minimal` starter, and starters that validate cleanly side by side in one folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.discover import Target
from cljourney.check.pipeline import load_target, validate
from cljourney.cli.app import app
from cljourney.model import JourneyFile
from cljourney.starters import TEMPLATES, template_text

runner = CliRunner()
README = Path(__file__).resolve().parent.parent / "README.md"


def init(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["init", *args])
    return result.exit_code, result.stderr


def journey_of(path: Path) -> JourneyFile:
    loaded = load_target(Target(path, explicit=True))
    assert loaded is not None and loaded.journey is not None, path
    return loaded.journey


def test_two_inits_in_one_folder_validate_together(chdir_tmp: Path) -> None:
    assert init()[0] == 0
    assert init("other.yaml")[0] == 0
    assert init("-t", "minimal")[0] == 0
    report = validate([chdir_tmp])
    assert [(f.rule, f.path) for f in report.findings] == []  # no duplicate-journey-id
    ids = {journey_of(path).journey.id for path in chdir_tmp.glob("*.yaml")}
    assert ids == {"b2b-saas", "other", "my-journey"}


def test_id_defaults_to_the_file_name(chdir_tmp: Path) -> None:
    assert init("My Journey v2.yaml", "-t", "minimal")[0] == 0
    assert journey_of(Path("My Journey v2.yaml")).journey.id == "my-journey-v2"


@pytest.mark.parametrize("template", TEMPLATES)
def test_id_and_name_are_set_and_the_file_is_named_after_the_id(
    chdir_tmp: Path, template: str
) -> None:
    name = 'Onboarding: "first" month # not a comment'
    code, stderr = init("-t", template, "--id", "onboarding", "--name", name)
    assert code == 0, stderr
    written = Path("onboarding.yaml")
    journey = journey_of(written).journey
    assert (journey.id, journey.name) == ("onboarding", name)
    assert validate([written]).findings == []
    kept = [line for line in template_text(template).splitlines() if line.lstrip().startswith("#")]
    assert kept and all(line in written.read_text("utf-8") for line in kept)  # comments stay


def test_id_into_a_folder_and_an_explicit_file_name(chdir_tmp: Path) -> None:
    Path("journeys").mkdir()
    assert init("journeys", "--id", "shop", "-t", "b2c")[0] == 0
    assert journey_of(Path("journeys/shop.yaml")).journey.id == "shop"
    assert init("journeys/renewal-2025.yaml", "--id", "renewal")[0] == 0
    assert journey_of(Path("journeys/renewal-2025.yaml")).journey.id == "renewal"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Bad Id"], "--id 'Bad Id': a journey id is lowercase letters"),
        (["--id", "-x"], "a journey id is lowercase"),
        (["--name", "   "], "--name: give the journey a name"),
        (["--name", "two\nlines"], "--name: a journey name is one line"),
        (["--", "---.yaml"], "no journey id can be made from this file name; give one with --id"),
    ],
)
def test_bad_id_or_name_is_a_usage_error_and_writes_nothing(
    chdir_tmp: Path, args: list[str], message: str
) -> None:
    code, stderr = init(*args)
    assert code == 2 and message in stderr, stderr
    assert list(chdir_tmp.iterdir()) == []


@pytest.mark.parametrize("folder", [None, "journeys"])
def test_a_second_init_into_a_folder_says_to_give_an_id(
    chdir_tmp: Path, folder: str | None
) -> None:
    """The second starter into one folder would take the first's file name: say how to go on."""
    args = [folder] if folder else []
    if folder:
        Path(folder).mkdir()
    assert init(*args)[0] == 0
    first = (Path(folder or ".") / "b2b-saas.yaml").read_bytes()
    code, stderr = init(*args)
    assert code == 2
    assert "b2b-saas.yaml: already exists; give the new journey its own id with --id" in stderr
    assert (Path(folder or ".") / "b2b-saas.yaml").read_bytes() == first  # untouched
    assert init(*args, "--id", "renewal")[0] == 0


def test_minimal_starter_is_short_annotated_and_clean(chdir_tmp: Path) -> None:
    assert init("-t", "minimal")[0] == 0
    written = Path("my-journey.yaml")
    text = written.read_text("utf-8")
    lines = text.splitlines()
    readme = README.read_text("utf-8")
    example = readme.split("```yaml\ncljourney: 1\n", 1)[1].split("```", 1)[0]
    assert len(lines) <= len(example.splitlines()) + 5  # about the README's format example
    assert sum("#" in line for line in lines) >= 15  # annotated
    assert validate([written]).findings == []
    result = runner.invoke(app, ["validate", "--strict", str(written)])
    assert result.exit_code == 0, result.output
    journey = journey_of(written)
    assert journey.handoffs and len(journey.stages) == 2
