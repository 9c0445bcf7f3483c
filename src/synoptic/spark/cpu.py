"""CPU seconds of a process tree, for the run report's per-stage figures in local mode.

In ``local[N]`` mode the driver's process tree is the whole job: the driver, its JVM and the
JVM's Python workers. Their CPU time, unlike wall time, does not grow when other jobs share
the machine, so it is the figure a per-article cost is taken from. On a cluster the tree
holds the driver only, and the report leaves the figure out.
"""

from __future__ import annotations

import os
from pathlib import Path


def tree_cpu(root: int | None = None) -> float | None:
    """Return the CPU seconds (user + system) of ``root`` (this process by default) and every
    live descendant, plus what they reaped of their exited children; ``None`` without
    ``/proc`` (not Linux)."""
    if not os.path.isdir("/proc"):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # the process ended while we listed
            continue
        # After the command name (which may hold spaces): state, parent pid, ...; fields 11-14
        # from there are utime, stime, cutime, cstime in clock ticks.
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        cpu[int(entry)] = sum(int(f) for f in fields[11:15]) / ticks
    total, todo = 0.0, [root if root is not None else os.getpid()]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


__all__ = ["tree_cpu"]
