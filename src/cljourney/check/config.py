"""The config file: its pydantic model and its translation into `ValidateOptions`.

Which file applies (nearest wins, no merging between files) is `check.configfile`'s to say.
Unknown keys, unknown rule ids and wrong types are `ConfigError`s naming the file and line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model

from cljourney.check.baseline import LONG_NUMBER, Baseline, long_number_at
from cljourney.check.configfile import find_config, section, table_prefix
from cljourney.check.discover import display_path
from cljourney.check.options import ValidateOptions
from cljourney.check.selection import RuleSelection
from cljourney.check.tomlpos import KeyPath, key_lines, line_of
from cljourney.findings import Severity
from cljourney.model.fields import Duration, Share, duration_seconds, share_fraction
from cljourney.rules import OPTIONS, REGISTRY, Option, RuleOptions
from cljourney.rules.conform import ConformOptions
from cljourney.text.hints import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A config file that cannot be used; `str()` is `path:line: message`, one line per problem."""

    def __init__(
        self, path: Path, line: int, message: str, more: tuple[tuple[int, str], ...] = ()
    ) -> None:
        problems = ((line, message), *more)
        self.lines = tuple(f"{display_path(path)}:{at}: {text}" for at, text in problems)
        super().__init__("\n".join(self.lines))
        self.path = path
        self.line = line
        self.message = message


def _known_rule(rule_id: str) -> str:
    if rule_id not in REGISTRY:
        close = did_you_mean(rule_id, REGISTRY)
        hint = f"did you mean '{close}'?" if close else "see `cljourney rules`"
        raise ValueError(f"unknown rule id '{rule_id}'; {hint}")
    return rule_id


RuleId = Annotated[str, AfterValidator(_known_rule)]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    # Validators are built when a config file is first checked: a run without one never needs them.
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=_kebab, strict=True, defer_build=True
    )


def _option_field(option: Option) -> Any:
    """The config model's field for a declared option: a share or a duration (conform's), a whole
    number of at least 1, or a list of words; absent (None) when the config does not set it."""
    if option.measure == "share":
        return (Share | None, Field(None, description=option.description))
    if option.measure == "duration":
        return (Duration | None, Field(None, description=option.description))
    if option.count:
        return (int | None, Field(None, ge=1, description=option.description))
    return (list[str] | None, Field(None, description=option.description))


# `[tool.cljourney.options]`: tunable inputs of the rules (see `RuleOptions`), built from the
# options the rules declare (`rules.OPTIONS`), so a new option needs no edit here.
if TYPE_CHECKING:
    OptionsConfig = _Section
else:
    OptionsConfig = create_model(
        "OptionsConfig",
        __base__=_Section,
        __doc__="`[tool.cljourney.options]`: tunable inputs of the rules (see `RuleOptions`).",
        **{option.attribute: _option_field(option) for option in OPTIONS.values()},
    )


class EventsConfig(_Section):
    """`[tool.cljourney.events]`: the columns of event logs, for `conform`."""

    case: str | None = Field(None, description="Column holding the customer (case) id.")
    event: str | None = Field(None, description="Column holding the event name.")
    time: str | None = Field(None, description="Column holding the time.")
    timezone: str | None = Field(None, description="Time zone of times without an offset.")


class Config(_Section):
    """`[tool.cljourney]` in pyproject.toml, or the top level of cljourney.toml."""

    select: list[RuleId] | None = Field(None, description="Rules to run (default: all).")
    ignore: list[RuleId] = Field(default_factory=list, description="Rules not to run.")
    severity: dict[RuleId, Annotated[Severity, Field(strict=False)]] = Field(
        default_factory=dict, description="Severity per rule id: error, warning or info."
    )
    exclude: list[str] = Field(default_factory=list, description="Globs of files to skip.")
    per_file_ignores: dict[str, list[RuleId]] = Field(
        default_factory=dict, description="Glob -> rule ids not to run on matching files."
    )
    options: OptionsConfig = Field(default_factory=OptionsConfig.model_construct)
    events: EventsConfig = Field(default_factory=EventsConfig.model_construct)

    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=_kebab, strict=True, use_enum_values=False
    )


# Every field at its default: nothing to validate.
DEFAULT_CONFIG = Config.model_construct()


@dataclass(frozen=True)
class LoadedConfig:
    """A config and where it came from (globs in it are relative to `root`)."""

    config: Config
    path: Path | None
    root: Path


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, 1, f"cannot read the config file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, 1, f"the config file is not UTF-8 text: {exc.reason}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc), text)
        raise ConfigError(path, line, f"invalid TOML: {exc}") from None
    except RecursionError:
        message = "arrays or tables nested too deeply to read; a config needs a few levels at most"
        raise ConfigError(path, 1, message) from None
    except ValueError:  # valid TOML, but an integer Python will not convert (over 4,300 digits)
        line, _ = long_number_at(text)
        raise ConfigError(path, line, LONG_NUMBER) from None


def _line_from_message(message: str, text: str) -> int:
    """tomllib (before 3.14) puts the position only in the message: "(at line 3, column 1)"."""
    marker = "(at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",", 1)[0]
        if digits.isdigit():
            return int(digits)
    if "(at end of document)" in message:
        return max(1, len(text.splitlines()))
    return 1


_KINDS = {
    "list_type": 'expected a list, e.g. ["weak-why"]',
    "string_type": "expected text in quotes",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "greater_than_equal": "must be 1 or more",
    "share_invalid": 'expected a share: a percentage text ("90%") or a fraction from 0 to 1',
    "duration_invalid": 'expected a duration: "30d", "12h", "90m", "2w" or "P30D"',
}


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        field = str(error["loc"][-1])
        sections: dict[str, type[BaseModel]] = {"options": OptionsConfig, "events": EventsConfig}
        nested = len(error["loc"]) > 1
        model = sections.get(str(error["loc"][0]), Config) if nested else Config
        allowed = [_kebab(name) for name in model.model_fields]
        close = did_you_mean(field, allowed)
        if close:
            return f"unknown key `{field}`; did you mean `{close}`?"
        home = next(
            (
                name
                for name, table in sections.items()
                if table is not model and field in {_kebab(f) for f in table.model_fields}
            ),
            None,
        )
        if home is not None:  # `stuck-after` at the top level: it is a rule option
            return f"unknown key `{field}` here; it belongs in the `{home}` table"
        return f"unknown key `{field}`"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in ("enum", "str_type", "string_type") and error["loc"][0] == "severity":
        return f"unknown severity {error['input']!r}; use error, warning or info"
    return _KINDS.get(kind, "invalid value")


def _misplaced_header(path: Path, data: dict[str, Any], text: str) -> ConfigError | None:
    """`[tool.cljourney]` pasted into cljourney.toml, where the keys go at the top level."""
    tool = data.get("tool")
    if path.name == "pyproject.toml" or not isinstance(tool, dict) or "cljourney" not in tool:
        return None
    line = line_of(key_lines(text), ("tool", "cljourney"))
    return ConfigError(
        path,
        line,
        "`[tool.cljourney]` belongs only in pyproject.toml; in this file write the keys at the"
        " top level: drop the `tool.cljourney` prefix from the table headers",
    )


def parse_config(path: Path) -> LoadedConfig:
    """Read and check one config file. Raises ConfigError with the file and line."""
    text, data = _read_toml(path)
    misplaced = _misplaced_header(path, data, text)
    if misplaced is not None:
        raise misplaced
    table = section(path, data)
    if table is None:
        raise ConfigError(path, 1, "no [tool.cljourney] table; add one or pass another --config")
    try:
        config = Config.model_validate(table)
    except ValidationError as exc:
        lines = key_lines(text)
        problems = sorted(_problem(error, path, lines) for error in exc.errors(include_url=False))
        raise ConfigError(path, *problems[0], more=tuple(problems[1:])) from None
    return LoadedConfig(config, path.resolve(), path.resolve().parent)


def _problem(error: Any, path: Path, lines: dict[KeyPath, int]) -> tuple[int, str]:
    """(line, `dotted.key: what is wrong`) for one validation error."""
    loc = tuple(str(step) for step in error["loc"] if step != "[key]" and not isinstance(step, int))
    dotted = ".".join((*table_prefix(path), *loc)) or "the table"
    return line_of(lines, (*table_prefix(path), *loc)), f"{dotted}: {_describe(error)}"


def load_config(explicit: Path | None = None, *, isolated: bool = False) -> LoadedConfig:
    """The config to use: `explicit`, else the nearest file, else defaults (also when isolated)."""
    if isolated:
        return LoadedConfig(DEFAULT_CONFIG, None, Path.cwd())
    path = explicit or find_config(Path.cwd())
    if path is None:
        return LoadedConfig(DEFAULT_CONFIG, None, Path.cwd())
    return parse_config(path)


def rule_options(options: OptionsConfig) -> RuleOptions:
    """The config's options over the defaults of `RuleOptions`."""
    values: dict[str, Any] = {}
    defaults = RuleOptions()
    for option in OPTIONS.values():
        value = getattr(options, option.attribute)
        if value is None or option.extends is not None:
            continue
        if option.measure is None:
            values[option.attribute] = value if option.count else tuple(value)
        elif hasattr(defaults, option.attribute):  # a measure a journey rule reads
            values[option.attribute] = value
    # ruff's extend-select idiom: `extend-X` adds to X as configured, else to X's defaults.
    for option in OPTIONS.values():
        extra = getattr(options, option.attribute)
        if extra is not None and option.extends is not None:
            name = OPTIONS[option.extends].attribute
            base = values.get(name, getattr(defaults, name))
            values[name] = tuple(dict.fromkeys((*base, *extra)))
    return RuleOptions(**values)


def conform_options(options: OptionsConfig) -> ConformOptions:
    """The config's conform thresholds over their defaults."""
    values: dict[str, float] = {}
    for name in ("min_path_share", "sla_share", "max_drop_off"):
        value = getattr(options, name)  # declared as `Option`s on the conform rules
        if value is not None:
            values[name] = share_fraction(value)
    stuck_after = getattr(options, "stuck_after")  # noqa: B009 (a field built from the rules)
    if stuck_after is not None:
        values["stuck_after_s"] = duration_seconds(stuck_after)
    return ConformOptions(**values)


def rule_selection(loaded: LoadedConfig) -> RuleSelection:
    config = loaded.config
    selected = set(config.select) if config.select is not None else set(REGISTRY)
    return RuleSelection(
        enabled=frozenset(selected - set(config.ignore)),
        severity=MappingProxyType(dict(config.severity)),
        exclude=tuple(config.exclude),
        per_file_ignores=tuple(
            (pattern, frozenset(rules)) for pattern, rules in config.per_file_ignores.items()
        ),
        root=loaded.root,
    )


def build_validate_options(
    loaded: LoadedConfig, *, baseline: Baseline | None = None, skip_non_journeys: bool = False
) -> ValidateOptions:
    """The one place where config and command-line choices become `ValidateOptions`."""
    return ValidateOptions(
        rules=rule_options(loaded.config.options),
        selection=rule_selection(loaded),
        baseline=baseline,
        skip_non_journeys=skip_non_journeys,
    )
