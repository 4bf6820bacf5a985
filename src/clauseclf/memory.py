"""Hand freed heap pages back to the system between batches of varying shapes.

Every batch has its own padded shape, and glibc keeps freed blocks of every size in each thread's arena: without
a trim, resident memory creeps up with the input while labelling (docs/performance.md) and with every training
step. Labelling trims after each chunk (label/stream.py), training every few steps (train.py).
"""

from __future__ import annotations

import ctypes
import os

from transformers import TrainerCallback


def release_free_memory() -> None:
    """glibc's malloc_trim(0); nothing where the C library has none (macOS, musl)."""
    if os.environ.get("CLAUSECLF_NO_MALLOC_TRIM"):  # to measure what it saves (docs/performance.md)
        return
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the C library already loaded: no search
    if trim is not None:
        trim(0)


class ReleaseFreeMemory(TrainerCallback):
    """For the Trainer: every `every` steps, release_free_memory(); without it resident memory grew with every
    step (scripts/bench_training_memory.py)."""

    def __init__(self, every: int = 10):
        self.every = every

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step % self.every == 0:
            release_free_memory()
