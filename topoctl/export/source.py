"""The design an export starts from: a spec (or design YAML written by topoctl) as parsed YAML.

A design YAML keeps its layout options under ``generated.layout``; they are the defaults when it is
exported again, so loading then exporting gives the same bytes. Explicit layout options win.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from topoctl.design import Design, resolve_set
from topoctl.errors import SpecError, shown
from topoctl.export.design_yaml import GENERATED_KEY
from topoctl.export.job import ExportJob, Progress
from topoctl.physical.layout import LayoutOptions
from topoctl.spec import DesignSpec, parse_design_set, parse_yaml, read_lines_until

__all__ = ["job_from_raw", "load_spec", "spec_fields"]


def load_spec(path: Path, source: str | None = None) -> Any:
    """Parse a spec file; of a design YAML, only the spec and ``generated.layout`` (which come first),
    so re-exporting a large design does not parse its million-line cable list."""
    source = source or str(path)
    in_generated = False

    def past_layout(line: str) -> bool:
        nonlocal in_generated
        if in_generated and line.startswith("  ") and not line.startswith(("    ", "  layout:", "  #")):
            return True  # the first derived field after the layout
        in_generated = in_generated or line == f"{GENERATED_KEY}:\n"
        return False

    return parse_yaml(read_lines_until(path, source, past_layout), source)


def spec_fields(spec: DesignSpec, design: Design) -> dict[str, Any]:
    """The spec as a design YAML writes it: the resolved name, then every non-default field; of the role
    models, those the design took (a set's default role models go only to the designs with the role)."""
    fields = spec.model_dump(exclude_defaults=True, exclude={"name"})
    roles = {role: given for role, given in fields.get("role_switches", {}).items() if role in design.role_switches}
    if roles:
        fields["role_switches"] = roles  # in its place: the design YAML keeps the spec's field order
    else:
        fields.pop("role_switches", None)
    return {"name": design.name, **fields}


def job_from_raw(
    raw: Any,
    source: str,
    *,
    default_name: str = "design",
    layout_overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
    select: str | None = None,
) -> ExportJob:
    """An export job from one parsed design spec, or the design named ``select`` of a set; SpecError
    names the file and field."""
    if isinstance(raw, dict) and "designs" in raw:
        return _job_from_set(raw, source, select, default_name, layout_overrides, progress)
    if select is not None:
        raise SpecError(f"--design {select!r} picks a design from a set, but this file holds one design", source=source)
    options = _layout(_saved_layout(raw, source), layout_overrides)
    spec_set = parse_design_set(raw, source, default_name=default_name)
    (design,) = resolve_set(spec_set, source, single=True)
    return ExportJob(design, spec_fields(spec_set.designs[0], design), options, progress)


def _job_from_set(
    raw: dict[str, Any],
    source: str,
    select: str | None,
    default_name: str,
    layout_overrides: dict[str, Any] | None,
    progress: Progress | None,
) -> ExportJob:
    spec_set = parse_design_set(raw, source, default_name=default_name)
    designs = resolve_set(spec_set, source)
    names = [design.name for design in designs]
    if select is None or select not in names:
        what = "holds a set of designs" if select is None else f"has no design {select!r}"
        raise SpecError(f"{what}; pick one with --design NAME: {', '.join(names)}", source=source)
    index = names.index(select)
    options = _layout({}, layout_overrides)
    design = designs[index]
    return ExportJob(design, spec_fields(spec_set.designs[index], design), options, progress)


def _saved_layout(raw: Any, source: str) -> dict[str, Any]:
    """The layout options a design YAML saved under ``generated.layout`` (checked: a hand-edited file
    gets the same errors as ``--layout``, located in the file); none for a plain spec."""
    if not isinstance(raw, dict) or GENERATED_KEY not in raw:
        return {}
    generated = raw[GENERATED_KEY]
    if not isinstance(generated, dict):
        raise SpecError(f"expected the mapping a design YAML writes, with the layout options under 'layout' "
                        f"(got {shown(generated)})", path=GENERATED_KEY, source=source)
    if "layout" not in generated:
        return {}
    saved = generated["layout"]
    LayoutOptions.from_dict(saved, source, f"{GENERATED_KEY}.layout")
    return saved


def _layout(saved: dict[str, Any], overrides: dict[str, Any] | None) -> LayoutOptions:
    """Saved options (already checked) with the command line's over them; errors name ``--layout``."""
    return LayoutOptions.from_dict({**saved, **(overrides or {})}, "--layout", "")
