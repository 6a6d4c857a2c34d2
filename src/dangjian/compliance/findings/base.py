"""A compliance finding (SPEC.md §4: `dangjian check --json` prints each as a dict)."""

from dataclasses import asdict, dataclass

RED, YELLOW = "red", "yellow"


@dataclass(frozen=True)
class Finding:
    org: str
    kind: str
    severity: str
    message: str
    ref: str = ""  # identity beyond org and kind (a term's end, a person, a period)
    path: str = ""  # the organisation's path, to route reminders

    def as_dict(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in ("org", "kind", "severity", "message")}
