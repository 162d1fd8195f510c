"""The expert-parallel MoE inference speed limit set by the network.

Reference: C. Zhao et al., "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware
for AI Architectures", ISCA 2025 (arXiv 2505.09343), Section 2.3.2. Each GPU holds one expert and
handles ``tokens_per_step`` tokens per step; every token is dispatched (FP8, 1 byte per element) to
``experts_per_token`` experts and combined back (BF16, 2 bytes), ``hidden_size`` elements each:

    step_time_s = (dispatch_bytes + combine_bytes) * tokens_per_step * experts_per_token * hidden_size
                  / gpu_bandwidth_bytes_per_s
    time_per_output_token_s = steps_per_layer * num_layers * step_time_s    (two micro-batches
                  overlapped: 2 communication steps per layer)
    tokens_per_s = 1 / time_per_output_token_s

Network latency is ignored, as in the paper. At 50 GB/s (400G InfiniBand): 120.96 us, 14.76 ms, about
67 tokens/s; at 900 GB/s (GB200 NVL72): 6.72 us, 0.82 ms, about 1,200 tokens/s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from topoctl.errors import SpecError

__all__ = ["MoeModel", "DEEPSEEK_V3", "MoeSpeedLimit", "moe_speed_limit", "gbytes_per_s"]

BITS_PER_BYTE = 8


@dataclass(frozen=True)
class MoeModel:
    """The model's figures that set the traffic of one expert-parallel step (DeepSeek-V3 defaults)."""

    tokens_per_step: int = 32
    dispatch_bytes: int = 1  # FP8
    combine_bytes: int = 2  # BF16
    hidden_size: int = 7000  # the paper's "7K"
    experts_per_token: int = 9  # 8 routed + 1 shared
    num_layers: int = 61
    steps_per_layer: int = 2  # two micro-batches overlapped


DEEPSEEK_V3 = MoeModel()


MAX_GBYTES_PER_S = 1e6  # 8 Pb/s per GPU, far past any NIC; keeps every figure finite


MOE_METHOD = "closed form: DeepSeek-V3 paper Section 2.3.2 (network latency ignored)"


@dataclass(frozen=True)
class MoeSpeedLimit:
    """The speed limit at one per-GPU bandwidth (exact figures; ``as_dict`` rounds them for output)."""

    gpu_bandwidth_gbytes_per_s: float
    bytes_per_step: int  # dispatched and combined per GPU and step
    step_time_s: float
    time_per_output_token_s: float
    model: MoeModel
    method: str = MOE_METHOD
    gpu_bandwidth_source: str | None = None  # how a design's bandwidth was found; None: given

    @property
    def tokens_per_s(self) -> float:
        return 1 / self.time_per_output_token_s

    def as_dict(self) -> dict[str, object]:
        return {
            "gpu_bandwidth_gbytes_per_s": float(f"{self.gpu_bandwidth_gbytes_per_s:.6g}"),
            "bytes_per_step": self.bytes_per_step,
            "step_time_us": round(self.step_time_s * 1e6, 4),
            "time_per_output_token_ms": round(self.time_per_output_token_s * 1e3, 4),
            "tokens_per_s": round(self.tokens_per_s, 2),
            "model": asdict(self.model),
            "method": self.method,
            **({"gpu_bandwidth_source": self.gpu_bandwidth_source} if self.gpu_bandwidth_source is not None else {}),
        }


def moe_speed_limit(gpu_bandwidth_gbytes_per_s: float, model: MoeModel = DEEPSEEK_V3) -> MoeSpeedLimit:
    """Step time, time per output token and tokens per second at a per-GPU bandwidth (GB/s, 1e9 B/s)."""
    if not 0 < gpu_bandwidth_gbytes_per_s <= MAX_GBYTES_PER_S:  # also refuses nan; inf would give 0 s steps
        raise SpecError(
            f"{gpu_bandwidth_gbytes_per_s:g} GB/s per GPU is not a usable bandwidth; give a positive value up to "
            f"{MAX_GBYTES_PER_S:g}",
            path="gpu_bandwidth_gbytes_per_s",
        )
    bytes_per_step = (
        (model.dispatch_bytes + model.combine_bytes) * model.tokens_per_step * model.experts_per_token
        * model.hidden_size
    )
    step_time_s = bytes_per_step / (gpu_bandwidth_gbytes_per_s * 1e9)
    token_time_s = model.steps_per_layer * model.num_layers * step_time_s
    return MoeSpeedLimit(gpu_bandwidth_gbytes_per_s, bytes_per_step, step_time_s, token_time_s, model)


def gbytes_per_s(gbps: float) -> float:
    """Gb/s to GB/s."""
    return gbps / BITS_PER_BYTE
