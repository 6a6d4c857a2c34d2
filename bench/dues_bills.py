"""Time to generate a month's dues bills for a 25,000-member roster (issue 5 asks for
under a minute), and again (idempotent: nothing new).

    python bench/dues_bills.py --members 25000
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=25000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from dangjian.dues.models import DuesBase
        from dangjian.dues.services import generate_bills
        from dangjian.people.models import Employment, Person

        sys.path.insert(0, str(Path(__file__).parent))
        from make_roster import build

        workbook = Path(tmp) / "roster.xlsx"
        build(args.members, str(workbook))
        call_command("migrate", verbosity=0)
        call_command("import-roster", str(workbook), stdout=open(os.devnull, "w"))
        month = timezone.localdate().replace(day=1)
        bases = [
            DuesBase(
                person_id=pk,
                category="retired" if employment == Employment.RETIRED else "in_service",
                base=3000 + (pk * 37) % 9000,
                effective_from=month.replace(month=1),
            )
            for pk, employment in Person.objects.values_list("pk", "employment")
        ]
        DuesBase.objects.bulk_create(bases, batch_size=2000)
        for label in ("first run", "second run (idempotent)"):
            started = time.perf_counter()
            created, missing = generate_bills(month)
            elapsed = time.perf_counter() - started
            print(f"{args.members} people  {label:<26} {created:>6} bills  {elapsed:6.2f} s")


if __name__ == "__main__":
    main()
