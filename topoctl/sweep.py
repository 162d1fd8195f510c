"""Sweeps: one design per point of a grid (endpoints x families x switches x any requirement field or family
parameter), each sized or built as `topoctl design` would, as one row per point.

A sweep (YAML file, or the same fields from flags)::

    name: cost-vs-scale
    endpoints: 1000..1000000          # N, a list, or ranges: A..B (log, 4 points a decade), A..B/N (N a
                                      # decade), A..BxF (times F), A..B+S (step S); comma-separated
    families: all                     # or names of `topoctl families`
    switch: [ib-ndr-64x400g]          # catalog models
    radix: [32, 64]
    endpoint_speed_gbps: 400
    max_planes: [1, 8]                # any requirement field (topoctl.requirement): sizes each point
    min_bisection_ratio: 0.5
    # or family parameters (each point built as `topoctl design --family F --param ...`):
    # planes: [2, 4, 8]
    # tiers: 2
    # parameters: {oversubscription: [1, 3]}

Every field takes one value or a list; unknown fields are errors. A sweep that names family parameters
(``planes``, ``tiers``, ``parameters``) builds each point from them, with ``endpoints`` as the family's
parameter; otherwise each point is a requirement of one family and is sized (CP-SAT, topoctl.optimize).
Points are the product of the fields' values in the order of AXES (endpoints innermost), so the rows come
grouped by family, endpoints ascending. A point that no design meets, or that its family refuses, is a row
with ``status: infeasible`` and the reason (``timed_out`` when the time limit passed before a design was
found: more time may find one); a value no point could take (an unknown field, a family name
that does not exist) is an error before anything runs.

Rows: ``point`` (the point's values), ``status``, ``reason``, then every field of the report
(topoctl.report.DesignReport.as_dict, with the solver's ``sizing`` section for a sized point). ``flatten``
gives the dotted columns of CSV and Parquet. Points run on topoctl.parallel's executors; each is a pure
function of its values, so every executor gives the same rows, byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from topoctl.errors import SpecError, TopoctlError
from topoctl.parallel import SERIAL, Executor, run_map

__all__ = [
    "AXES",
    "REQUIREMENT_AXES",
    "DESIGN_AXES",
    "FORMATS",
    "Sweep",
    "SweepSettings",
    "parse_endpoints",
    "split_values",
    "sweep_from",
    "fields_from_flags",
    "run_point",
    "run_sweep",
    "flatten",
    "unflatten",
    "write_rows",
    "read_rows",
]

# requirement fields a sweep may vary (topoctl.requirement.Requirement), in the points' order
REQUIREMENT_AXES = ("endpoints_per_node", "max_tiers", "max_planes", "max_ports_per_endpoint", "min_bisection_ratio",
                    "max_hops", "max_blast_radius", "spare_ports_percent", "max_cost_usd", "objective")
DESIGN_AXES = ("planes", "tiers")  # family parameters with flags of their own; more under ``parameters``
AXES = ("family", "switch", "radix", "endpoint_speed_gbps", *REQUIREMENT_AXES, *DESIGN_AXES, "endpoints")
FILE_FIELDS = ("name", "endpoints", "families", "switch", "radix", "endpoint_speed_gbps", *REQUIREMENT_AXES,
               *DESIGN_AXES, "parameters")
FORMATS = ("csv", "jsonl", "parquet", "json")
MAX_POINTS = 100_000
MAX_RANGE_POINTS = 10_000
PER_DECADE = 4  # A..B without a step: 1000, 1800, 3200, 5600, 10000, ...
SIGNIFICANT = 2  # log steps are rounded to 2 significant digits, as a person would write them (1800, 5600)


@dataclass(frozen=True)
class SweepSettings:
    """What every point shares: how points are sized (the solver's time limit and seed) and where the
    errors point (``source``)."""

    time_limit_s: float = 10.0
    seed: int = 0
    source: str = "sweep"


@dataclass(frozen=True)
class Sweep:
    """A sweep resolved: its name, whether points are built (else sized), and the points in order."""

    name: str
    build: bool
    points: tuple[Mapping[str, Any], ...]

    @property
    def varied(self) -> list[str]:
        """The axes that take more than one value, in point order."""
        keys = list(self.points[0]) if self.points else []
        return [key for key in keys if len({json.dumps(p[key], sort_keys=True) for p in self.points}) > 1]


# -- values ------------------------------------------------------------------------------------------------
def split_values(text: str) -> list[str]:
    """Comma-separated values, commas inside brackets kept: ``[4,4],[8,8]`` is two values."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _round_significant(value: float) -> int:
    digits = SIGNIFICANT - 1 - math.floor(math.log10(value))
    return int(round(value, digits))


def _whole(text: str, field: str) -> int:
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise SpecError(f"{text!r} is not a whole number", path=field) from None
    if not (math.isfinite(value) and value.is_integer() and value >= 1):
        raise SpecError(f"{text!r} is not a whole number of at least 1", path=field)
    return int(value)


def _range(term: str, field: str) -> list[int]:
    """A..B with a log step (A..B/N a decade, default PER_DECADE), a factor (A..BxF) or a step (A..B+S)."""
    low_text, _, rest = term.partition("..")
    high_text, step = rest, ("/", str(PER_DECADE))
    for mark in ("/", "x", "+"):
        if mark in rest:
            high_text, value = rest.split(mark, 1)
            step = (mark, value)
    low, high = _whole(low_text, field), _whole(high_text, field)
    if high < low:
        raise SpecError(f"{term!r}: the range ends below its start", path=field)
    mark, value = step
    values: list[int] = []
    if mark == "+":
        stride = _whole(value, field)
        count = (high - low) // stride + 1
        if count > MAX_RANGE_POINTS:
            raise SpecError(f"{term!r} has {count:,} points; at most {MAX_RANGE_POINTS:,}", path=field)
        values = list(range(low, high + 1, stride))
    else:
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if mark == "/" and not (number.is_integer() and 1 <= number <= 1000):
            raise SpecError(f"{term!r}: points a decade must be a whole number 1..1000", path=field)
        if mark == "x" and not (math.isfinite(number) and 1 < number <= 1000):
            raise SpecError(f"{term!r}: the factor must be a number above 1 (at most 1000)", path=field)
        ratio = 10 ** (1 / number) if mark == "/" else number
        count = math.floor(math.log(high / low) / math.log(ratio) + 1e-9) + 1
        if count > MAX_RANGE_POINTS:
            raise SpecError(f"{term!r} has {count:,} points; at most {MAX_RANGE_POINTS:,}", path=field)
        exact = mark == "x" and number.is_integer()
        for i in range(count):
            point = low * int(number) ** i if exact else low * ratio**i
            values.append(int(point) if exact else _round_significant(point))
        if values[-1] != high:
            values.append(high)
    return values


def parse_endpoints(value: Any, field: str = "endpoints") -> list[int]:
    """The endpoints of a sweep: a number, a list, or text of comma-separated numbers and ranges; sorted,
    each once.

    >>> parse_endpoints("1000..1000000/1,16384")
    [1000, 10000, 16384, 100000, 1000000]
    >>> parse_endpoints("1024..8192x2")
    [1024, 2048, 4096, 8192]
    """
    terms = value if isinstance(value, list) else [value]
    found: set[int] = set()
    for term in terms:
        if isinstance(term, bool) or not isinstance(term, int | float | str):
            raise SpecError(f"{term!r} is not a number or a range A..B", path=field)
        for part in split_values(str(term)) if isinstance(term, str) else [str(term)]:
            found.update(_range(part, field) if ".." in part else [_whole(part, field)])
    if not found:
        raise SpecError("no endpoints given; e.g. 1000..1000000", path=field)
    return sorted(found)


def _values(value: Any) -> list[Any]:
    """One value or a list of them: always the list."""
    return list(value) if isinstance(value, list) else [value]


def _flag_values(text: str, flag: str) -> list[Any]:
    """A flag's comma-separated values, each read as YAML (``64`` a number, ``[4, 4]`` a list)."""
    from topoctl.errors import FlagError
    from topoctl.request import parse_assignment

    values = [parse_assignment(f"v={part}", flag)[1] for part in split_values(text)]
    if not values:
        raise FlagError(f"{text[:40]!r} gives no value", flag=flag)
    return values


def fields_from_flags(*, endpoints: str | None = None, families: str | None = None, switch: str | None = None,
                      radix: str | None = None, planes: str | None = None, tiers: str | None = None,
                      params: Sequence[str] = (), axes: Sequence[str] = (),
                      fixed: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A sweep's fields from the command line: each flag a comma-separated list, ``params`` and ``axes``
    NAME=V1,V2 (a family parameter; a requirement field), ``fixed`` single requirement values (the
    sizing flags). A field given twice is a FlagError."""
    from topoctl.errors import FlagError

    fields: dict[str, Any] = {}
    if endpoints is not None:
        fields["endpoints"] = endpoints
    for name, text, flag in (("families", families, "--families"), ("switch", switch, "--switch"),
                             ("radix", radix, "--radix"), ("planes", planes, "--planes"), ("tiers", tiers, "--tiers")):
        if text is not None:
            fields[name] = _flag_values(text, flag)
    for assignment in axes:
        name, _, text = assignment.partition("=")
        if not _ or name not in (*REQUIREMENT_AXES, "endpoint_speed_gbps"):
            valid = ", ".join((*REQUIREMENT_AXES, "endpoint_speed_gbps"))
            raise FlagError(f"{assignment[:40]!r} is not FIELD=V1,V2 of a requirement field; fields: {valid}",
                            flag="--axis")
        if name in fields:
            raise FlagError(f"{name} given twice", flag="--axis")
        fields[name] = _flag_values(text, "--axis")
    for name, value in (fixed or {}).items():
        if value is None:
            continue
        if name in fields:
            raise FlagError(f"{name} is given both as a flag and in --axis; give it once", flag="--axis")
        fields[name] = value
    parameters: dict[str, Any] = {}
    for assignment in params:
        name, _, text = assignment.partition("=")
        if not _ or not name:
            raise FlagError(f"{assignment[:40]!r} is not NAME=V1,V2", flag="--param")
        parameters[name] = _flag_values(text, "--param")
    if parameters:
        fields["parameters"] = parameters
    return fields


# -- the sweep ---------------------------------------------------------------------------------------------
def sweep_from(fields: Mapping[str, Any], source: str = "sweep") -> Sweep:
    """The sweep of a file's fields (and flags laid over them), checked: unknown fields, unknown families
    or switch models and bad endpoints are SpecError before anything runs."""
    from topoctl.catalog import active
    from topoctl.topologies import FAMILIES

    switch_models = active().switches  # the parts catalog of this command (shipped, or with --catalog files)

    unknown = [key for key in fields if key not in FILE_FIELDS]
    if unknown:
        raise SpecError(f"unknown field; valid: {', '.join(FILE_FIELDS)}", path=unknown[0], source=source)
    if fields.get("endpoints") is None:
        raise SpecError("a sweep needs endpoints, e.g. 1000..1000000", path="endpoints", source=source)
    name = fields.get("name", "sweep")
    if not isinstance(name, str) or not name.strip():
        raise SpecError("the sweep's name is a non-empty text", path="name", source=source)
    try:
        endpoints = parse_endpoints(fields["endpoints"])
    except SpecError as exc:
        raise exc.located(source=source) from None
    families: list[str] = []
    for family in _values(fields.get("families", "all")):
        if family == "all":
            families += list(FAMILIES)
        elif isinstance(family, str) and family in FAMILIES:
            families.append(family)
        else:
            raise SpecError(f"{family!r} is not a family; valid: all, {', '.join(FAMILIES)}", path="families",
                            source=source)
    families = list(dict.fromkeys(families))
    for model in _values(fields.get("switch", [])):
        if not isinstance(model, str) or model not in switch_models:
            raise SpecError(f"unknown switch model {model!r}; valid: {', '.join(switch_models)}", path="switch",
                            source=source)
    parameters = fields.get("parameters") or {}
    if not isinstance(parameters, dict) or not all(isinstance(key, str) for key in parameters):
        raise SpecError("a mapping of family parameter names to a value or a list", path="parameters", source=source)
    build = any(fields.get(axis) is not None for axis in DESIGN_AXES) or bool(parameters)
    sizing = [axis for axis in REQUIREMENT_AXES if fields.get(axis) is not None]
    if build and sizing:
        raise SpecError("a sweep either sizes (requirement fields) or builds (family parameters), not both; drop "
                        f"{sizing[0]} or the family parameters", path=sizing[0], source=source)
    axes: list[tuple[str, list[Any]]] = [("family", families)]
    for axis in AXES[1:-1]:
        if fields.get(axis) is not None:
            axes.append((axis, list(dict.fromkeys(_hashable(_values(fields[axis]), axis, source)))))
    for key in sorted(parameters):
        axes.append((f"parameters.{key}", _values(parameters[key])))
    axes.append(("endpoints", endpoints))
    total = math.prod(len(values) for _, values in axes)
    if total > MAX_POINTS:
        raise SpecError(f"{total:,} points; at most {MAX_POINTS:,}", path="endpoints", source=source)
    for axis, values in axes:
        if not values:
            raise SpecError("an empty list gives no points", path=axis, source=source)
    points: list[dict[str, Any]] = [{}]
    for axis, values in axes:
        points = [{**point, axis: value} for point in points for value in values]
    if not build:  # a requirement field's value is the user's error, not a point's answer
        checked: set[str] = set()
        for point in points:
            key = json.dumps({k: v for k, v in point.items() if k not in ("family", "endpoints")}, sort_keys=True)
            if key not in checked:
                checked.add(key)
                _requirement(point, source)
    return Sweep(name.strip(), build, tuple(points))


def _hashable(values: list[Any], axis: str, source: str) -> list[Any]:
    if any(isinstance(v, dict | list) for v in values):
        raise SpecError("a value or a list of numbers or names, not nested lists or mappings", path=axis,
                        source=source)
    return values


# -- one point ---------------------------------------------------------------------------------------------
def _label(point: Mapping[str, Any]) -> str:
    parts = [f"{key.removeprefix('parameters.')}={json.dumps(value)}" for key, value in point.items()
             if key != "family"]
    return f"{point['family']} " + " ".join(parts)


def _requirement(point: Mapping[str, Any], source: str) -> Any:
    from topoctl.requirement import parse_requirement

    data: dict[str, Any] = {"endpoints": point["endpoints"], "families": [point["family"]]}
    data.update({axis: point[axis] for axis in REQUIREMENT_AXES if axis in point})
    if "endpoint_speed_gbps" in point:
        data["endpoint_speed_gbps"] = point["endpoint_speed_gbps"]
    switch = {key: point[key] for key, name in (("switch", "model"), ("radix", "radix")) if key in point}
    if switch:
        from topoctl.catalog import DEFAULT_SWITCH_MODEL

        data["switches"] = [{"model": switch.get("switch", DEFAULT_SWITCH_MODEL),
                             **({"radix": switch["radix"]} if "radix" in switch else {})}]
    return parse_requirement(data, source)


def _raw_design(point: Mapping[str, Any]) -> dict[str, Any]:
    parameters = {key.removeprefix("parameters."): value for key, value in point.items()
                  if key.startswith("parameters.")}
    parameters.update({axis: point[axis] for axis in DESIGN_AXES if axis in point})
    parameters["endpoints"] = point["endpoints"]
    raw: dict[str, Any] = {"name": _label(point), "family": point["family"], "parameters": parameters}
    switch = {name: point[key] for key, name in (("switch", "model"), ("radix", "radix")) if key in point}
    if switch:
        raw["switch"] = switch
    if "endpoint_speed_gbps" in point:
        raw["endpoint_speed_gbps"] = point["endpoint_speed_gbps"]
    return raw


def run_point(settings: SweepSettings, job: tuple[bool, Mapping[str, Any]]) -> dict[str, Any]:
    """One point's row: sized (the best design of its family for its requirement, as `topoctl size`) or,
    with ``build``, built from its family parameters (as `topoctl design --family`)."""
    from topoctl.errors import GraphCheckError, SizingCheckError, SizingTimeLimitError

    build, point = job
    row: dict[str, Any] = {"point": dict(point), "status": "ok", "reason": None}
    try:
        if build:
            from topoctl.design import designs_from_raw
            from topoctl.report import evaluate

            (design,) = designs_from_raw(_raw_design(point), settings.source)
            report = evaluate(design)
        else:
            from topoctl.optimize import size

            req = _requirement(point, settings.source)
            result = size(req, time_limit_s=settings.time_limit_s, workers=1, seed=settings.seed)
            report = result.best.report(req)
            report = _renamed(report, _label(point))
    except (SizingCheckError, GraphCheckError):
        raise  # a bug, never a point's answer
    except SizingTimeLimitError as exc:  # not shown infeasible: more time may well find a design
        return {**row, "status": "timed_out", "reason": str(exc)}
    except TopoctlError as exc:
        return {**row, "status": "infeasible", "reason": str(exc)}
    return {**row, **report.as_dict()}


def _renamed(report: Any, name: str) -> Any:
    from dataclasses import replace

    return replace(report, name=name)


def run_sweep(sweep: Sweep, settings: SweepSettings = SweepSettings(), executor: Executor = SERIAL,
              done: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Every point's row, in the points' order, computed on ``executor``."""
    jobs = ((sweep.build, point) for point in sweep.points)
    yield from run_map(run_point, jobs, settings, executor, done=done)


# -- rows as files -----------------------------------------------------------------------------------------
def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted columns: nested mappings by key; a list of mappings by each one's first value (a fault
    class by its component, a link group by its name); other lists as JSON text.

    >>> flatten({"a": {"b": 1}, "rows": [{"component": "leaf", "count": 4}], "s": [1, 2]})
    {'a.b': 1, 'rows.leaf.count': 4, 's': '[1, 2]'}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) and v for v in value):
            keys = [str(next(iter(v.values()))) for v in value]
            if len(set(keys)) == len(keys):
                for label, item in zip(keys, value, strict=True):
                    out.update(flatten(dict(list(item.items())[1:]), f"{name}.{label}."))
            else:
                out[name] = json.dumps(value)
        elif isinstance(value, list):
            out[name] = json.dumps(value)
        else:
            out[name] = value
    return out


def unflatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """Flat dotted columns back to nested mappings (lists keyed by their first value stay mappings);
    empty cells (None) dropped."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    return out


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_rows(rows: Iterable[Mapping[str, Any]], fmt: str, out: Any) -> None:
    """Rows in ``fmt`` to ``out``, a text handle (csv, jsonl, json) or a binary one (parquet)."""
    rows = list(rows)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, allow_nan=False) + "\n")
    elif fmt == "json":
        out.write(json.dumps({"rows": rows}, indent=2, allow_nan=False) + "\n")
    elif fmt == "csv":
        flat = [flatten(row) for row in rows]
        columns = _columns(flat)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in flat:
            writer.writerow([_csv_cell(row.get(column)) for column in columns])
    elif fmt == "parquet":
        out.write(_parquet_bytes([flatten(row) for row in rows]))
    else:
        raise SpecError(f"{fmt!r} is not a sweep format; valid: {', '.join(FORMATS)}", path="--format")


def _column_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int64"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float64"
    return "string"


def _parquet_bytes(rows: list[dict[str, Any]]) -> bytes:
    """One Parquet table: a column per dotted key, typed from its values (text where they mix)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _columns(rows)
    arrays, fields = [], []
    for column in columns:
        values = [row.get(column) for row in rows]
        kind = _column_type(values)
        if kind == "string":
            values = [None if v is None else (v if isinstance(v, str) else json.dumps(v)) for v in values]
        elif kind == "float64":
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=getattr(pa, kind if kind != "bool" else "bool_")()))
        fields.append(pa.field(column, arrays[-1].type))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def read_rows(path: Path, source: str | None = None) -> list[dict[str, Any]]:
    """The rows of a results file (jsonl, json, csv or parquet, by its suffix), flat (dotted columns),
    empty cells left out (as CSV and Parquet cannot tell an empty cell from a missing one)."""
    label = source or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv", ".json", ".jsonl"):
        raise SpecError(f"unknown results format {suffix or '(none)'!r}; valid: .jsonl, .json, .csv, .parquet",
                        source=label)
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return [{k: v for k, v in row.items() if v is not None} for row in pq.read_table(path).to_pylist()]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror or exc}", source=label) from None
    except Exception as exc:  # pyarrow's own errors on a file that is not Parquet
        raise SpecError(f"not a Parquet file: {str(exc)[:80]}", source=label) from None
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        return [{key: _cell(value) for key, value in row.items() if value != ""} for row in reader]
    try:
        if suffix == ".json":
            data = json.loads(text)
            rows = data.get("rows", data.get("designs")) if isinstance(data, dict) else None
            if not isinstance(rows, list):
                raise SpecError("expected a mapping with rows (sweep) or designs (compare)", source=label)
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise SpecError(f"line {exc.lineno}: not JSON: {exc.msg}", source=label) from None
    if not all(isinstance(row, dict) for row in rows):
        raise SpecError("every row must be a JSON object", source=label)
    return [{key: value for key, value in flatten(row).items() if value is not None} for row in rows]


def _cell(text: str) -> Any:
    """A CSV cell as the value it was written from: a number, true/false, or the text."""
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text
