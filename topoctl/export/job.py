"""What every exporter reads: the design, its spec, the port plan and rack layout, and progress.

The port plan and layout are built once, on first use; cables are streamed from them each time an
exporter asks, so no exporter holds the cabling plan in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from topoctl.catalog import SwitchModel
from topoctl.design import Design
from topoctl.physical.layout import Layout, LayoutOptions, PlannedCable
from topoctl.physical.ports import PortPlan

__all__ = ["ExportJob", "Progress"]

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (items done since the last call, total items)
PROGRESS_STEP = 10_000


@dataclass
class ExportJob:
    design: Design
    spec: dict[str, Any]  # the design's spec fields, as a design YAML writes them
    layout_options: LayoutOptions = field(default_factory=LayoutOptions)
    progress: Progress | None = None

    @cached_property
    def plan(self) -> PortPlan:
        return PortPlan(self.design)

    @cached_property
    def layout(self) -> Layout:
        return Layout(self.plan, self.layout_options)

    def model_of(self, switch: str) -> SwitchModel:
        """The model of the switch named ``switch`` (its role's, Design.switch_of)."""
        return self.plan.models[self.plan.index[switch]]

    def cables(self) -> Iterator[PlannedCable]:
        """Every planned cable once, reporting progress."""
        return self.counted(self.layout.cables(), self.plan.num_cables())

    def counted(self, items: Iterable[T], total: int) -> Iterator[T]:
        if self.progress is None:
            yield from items
            return
        done = 0
        for item in items:
            yield item
            done += 1
            if done == PROGRESS_STEP:
                self.progress(done, total)
                done = 0
        self.progress(done, total)
