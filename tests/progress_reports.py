"""What a long operation told its ``progress`` (``seips_core.progress``), kept for checking."""

from dataclasses import dataclass, field


@dataclass
class Recorder:
    """A ``Progress`` that keeps every report, in order."""

    reports: list[tuple[str, int, int | None]] = field(default_factory=list)

    def __call__(self, step: str, done: int, total: int | None) -> None:
        self.reports.append((step, done, total))

    def steps(self) -> list[str]:
        """The steps in the order they came, each once: a step's reports come together."""
        order = [step for index, (step, _, _) in enumerate(self.reports)
                 if index == 0 or self.reports[index - 1][0] != step]  # fmt: skip
        assert len(order) == len(set(order)), f"a step came back after another: {order}"
        return order

    def counts(self, step: str) -> list[int]:
        """The ``done`` of each report of ``step``."""
        return [done for name, done, _ in self.reports if name == step]

    def total(self, step: str) -> int | None:
        """The total ``step`` was reported with (the same in each of its reports)."""
        (total,) = {total for name, _, total in self.reports if name == step}
        return total

    def each_step_counts_up_to_its_total(self) -> bool:
        """Every step starts at 0, never goes down and ends with all of its total done."""
        for step in self.steps():
            done = self.counts(step)
            if done[0] != 0 or done != sorted(done) or done[-1] != self.total(step):
                return False
        return True
