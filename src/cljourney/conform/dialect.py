"""`sql`'s DuckDB text as Spark SQL: sqlglot translates, and this module adds the few rewrites
sqlglot does not make, so the computation stays written once (in `sql`).

Imported only by the Spark engine (`--engine spark`); sqlglot is pure Python but not free to
import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sqlglot
from sqlglot import exp

# The column each Spark source view carries with its rows' 1-based input order (`row_no` of
# `sql.select_events`).
ROW_NO = "_cljourney_row_no"


@dataclass(frozen=True)
class Statement:
    """One query for Spark: a SELECT, and the relation it defines when `sql` wrote
    `CREATE [TEMP] TABLE|VIEW name AS ...` (a table is computed once and kept)."""

    query: str
    defines: str | None = None
    keep: bool = False
    drops: str | None = None  # `DROP TABLE name`: the relation to forget (`query` is empty)


@cache
def to_spark(duck: str) -> Statement:
    """One of `sql`'s queries, translated. Raises sqlglot.errors.ParseError for text that is
    not SQL (a bug: `sql` builds every query)."""
    tree = sqlglot.parse_one(duck, read="duckdb")
    if isinstance(tree, exp.Drop):
        (table,) = tree.args["tables"]
        return Statement("", drops=table.name)
    defines = None
    keep = False
    if isinstance(tree, exp.Create):
        defines = tree.this.name
        keep = str(tree.args.get("kind", "")).upper() == "TABLE"
        tree = tree.expression
    return Statement(tree.transform(_rewrite).sql(dialect="spark"), defines, keep)


# DuckDB's ordered `list(value ORDER BY key)`: Spark's collect_list keeps no order, so the pairs
# are collected, sorted (by key first: keys are unique per group) and the values kept.
_ORDERED_LIST = (
    "TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(_key AS _k, _value AS _v))), _pair -> _pair._v)"
)


def _ordered_list(node: exp.ArrayAgg) -> exp.Expr:
    order = node.this
    assert isinstance(order, exp.Order)
    keys = order.expressions
    if len(keys) != 1 or keys[0].args.get("desc"):
        # ARRAY_SORT sorts the pairs ascending by their first field: one ascending key only.
        raise ValueError(f"cannot translate {node.sql(dialect='duckdb')}: one ascending key only")
    parts: dict[str, exp.Expr] = {"_key": order.expressions[0].this, "_value": order.this}

    def fill(part: exp.Expr) -> exp.Expr:
        if isinstance(part, exp.Column) and part.name in parts:
            return parts[part.name].copy()
        return part

    template: exp.Expr = sqlglot.parse_one(_ORDERED_LIST, read="spark")
    return template.transform(fill)


def _rewrite(node: exp.Expr) -> exp.Expr:
    """`node` rewritten (`_rewritten`), and what it holds too: sqlglot's transform does not
    walk into a node it has just replaced (a `strlen` inside an `epoch_us`)."""
    new = _rewritten(node)
    return node if new is node else new.transform(_rewrite)


def _rewritten(node: exp.Expr) -> exp.Expr:
    """The DuckDB functions sqlglot leaves as they are, as Spark spells them."""
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_list(node)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "epoch_us":
        # Microseconds since the epoch of a TIMESTAMPTZ (Spark: TIMESTAMP, the session's zone).
        return exp.Anonymous(this="UNIX_MICROS", expressions=node.expressions)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "strlen":
        return exp.Anonymous(this="OCTET_LENGTH", expressions=node.expressions)  # bytes
    if isinstance(node, exp.RegexpFullMatch):
        # A whole-string match; Java's `$` would also match before a final line break.
        pattern = node.expression
        assert isinstance(pattern, exp.Literal) and pattern.is_string
        anchored = exp.Literal.string("^(?:" + pattern.this + ")\\z")
        return exp.RegexpLike(this=node.this, expression=anchored)
    return node


def spark_type(duck: str) -> str:
    """A column type of `sql.JOURNEY_TABLES` (DuckDB) in Spark's DDL."""
    return exp.DataType.build(duck, dialect="duckdb").sql(dialect="spark")
