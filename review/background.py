"""Background work's share of the machine: the people using the desk come first.

The server's indexer (``app.cli.serve.drain_loop``), ``claimdesk worker`` and the web server's job
thread run at a lower OS priority (:func:`lower_priority`), so the kernel serves requests first when
both want a core. The indexer's "checked before?" marks also have a budget (:class:`Budget`): each
cycle stops after ``cycle_cpu`` seconds of CPU and the loop then pauses in proportion, so the marks
take at most ``share`` of one core on average however many claims wait; they all get checked, a
bounded batch at a time.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field

SHARE = 0.25  # at most a quarter of one core on average for the marks
CYCLE_CPU = 0.5  # seconds of CPU the marks may use in one cycle before they stop for the pause
NICE = 10  # how much lower than the web workers the background work runs (0-19)


@dataclass
class Budget:
    """CPU time one cycle of background work may use, and the pause that keeps it to its share of a core.

    CPU is counted on the calling thread (``time.thread_time``): the encoder runs on it, and another
    thread of the same process (a request, in a development server) does not count against it.
    """

    cycle_cpu: float = CYCLE_CPU
    share: float = SHARE
    started: float = field(default_factory=time.thread_time)

    def __post_init__(self):
        if not 0 < self.share <= 1:
            raise ValueError(f"a share of one core is between 0 and 1, not {self.share}")
        if self.cycle_cpu <= 0:
            raise ValueError(f"a cycle's CPU budget is a positive number of seconds, not {self.cycle_cpu}")

    def used(self) -> float:
        """Return the CPU seconds used since the cycle started."""
        return time.thread_time() - self.started

    def spent(self) -> bool:
        """Return whether the cycle has used its CPU budget."""
        return self.used() >= self.cycle_cpu

    def pause(self) -> float:
        """Return the seconds to wait after this cycle so the work averages ``share`` of one core."""
        return self.used() * (1 - self.share) / self.share


def lower_priority(amount: int = NICE) -> int:
    """Lower the calling thread's OS priority by ``amount`` (threads it starts inherit it); return its nice value.

    On Linux each thread has its own nice value, so this lowers a background thread without touching the
    request threads beside it. Elsewhere (or when refused) the priority stays and the current value is returned.
    """
    try:
        target = threading.get_native_id() if sys.platform.startswith("linux") else 0  # elsewhere: the process
        current = os.getpriority(os.PRIO_PROCESS, target)
        os.setpriority(os.PRIO_PROCESS, target, min(19, current + amount))
        return os.getpriority(os.PRIO_PROCESS, target)
    except (AttributeError, OSError):
        return 0
