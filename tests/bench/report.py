"""Figures of the benches: each printed with its target and PASS/MISS as it is measured."""

_results: list[tuple[str, str, bool | None]] = []


class Report:
    def __init__(self, bench: str):
        self.bench = bench
        print(f"\n== {bench}")

    def figure(self, label: str, value: str, target: str, passed: bool | None) -> None:
        verdict = {True: "PASS", False: "MISS", None: "INFO"}[passed]
        print(f"  {label:<52} {value:>14}   target {target:<22} {verdict}")
        _results.append((f"{self.bench}: {label}", value, passed))

    def skip(self, label: str, reason: str) -> None:
        print(f"  {label:<52} {'—':>14}   SKIP ({reason})")
        _results.append((f"{self.bench}: {label}", "skipped", None))

    def note(self, text: str) -> None:
        print(f"  {text}")


def all_passed() -> bool:
    return all(passed is not False for _, _, passed in _results)


def summary(seconds: float) -> None:
    missed = [label for label, _, passed in _results if passed is False]
    skipped = [label for label, value, _ in _results if value == "skipped"]
    print(f"\n{len(_results)} figures in {seconds:.0f} s; {len(missed)} missed, {len(skipped)} skipped")
    for label in missed:
        print(f"  MISS {label}")
