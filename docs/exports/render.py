"""Regenerate the pictures of README's "What each export looks like": load the demo data
into a throw-away data directory, write every Excel export and Word document the way the
pages and commands do, print each with LibreOffice and keep the first page as a small PNG
here.

    .venv/bin/python docs/exports/render.py        # needs soffice and pdftoppm
"""

import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(tempfile.mkdtemp(prefix="dangjian-exports-"))
os.environ.setdefault("DANGJIAN_DATA_DIR", str(WORK / "data"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def exports() -> dict[str, bytes]:
    from dangjian.dashboard.export import build_city_workbook
    from dangjian.decisions.export import build_workbook as register
    from dangjian.decisions.models import MajorMatter
    from dangjian.dues.export import build_arrears_workbook
    from dangjian.dues.export import build_workbook as dues
    from dangjian.dues.queries import arrears
    from dangjian.orgs.models import Organization
    from dangjian.roster.services import export_roster
    from dangjian.tasks.export import build_workbook as ledger
    from dangjian.tasks.models import WorkTask

    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    city, first, fourth = (
        Organization.objects.get(code=c) for c in ("DEMO", "DEMO-H01", "DEMO-H04")
    )
    roster = io.BytesIO()
    export_roster(first, roster, reason="README 示例")
    tasks = WorkTask.objects.filter(responsible_org__path__startswith=fourth.path)
    matters = MajorMatter.objects.filter(organization__path__startswith=fourth.path)
    return {
        "roster": roster.getvalue(),
        "dues-month": dues(first, last_month.year, last_month.month),
        "dues-year": dues(first, today.year),
        "arrears": build_arrears_workbook(
            city, arrears(city.path, today).select_related("organization"), today
        ),
        "tasks": ledger(tasks.filter(area__target_list__year=today.year), today, fourth).getvalue(),
        "decisions": register(matters.filter(proposed_on__year=today.year), fourth).getvalue(),
        "city-stats": build_city_workbook(city),
    }


def documents() -> dict[str, bytes]:
    """The Word documents: an imported member's approval form, an activist's registration
    form, and a 介绍信 issued for a member of the demo's first hospital."""
    from dangjian.development.models import DevelopmentStep
    from dangjian.development.paperwork import render_step_form
    from dangjian.orgs.models import Organization
    from dangjian.people.export import transfer_letter
    from dangjian.people.models import Person, Status
    from dangjian.people.queries import current_status
    from dangjian.people.transfers import issue_letter

    def form(code: str) -> bytes:
        step = DevelopmentStep.objects.filter(code=code).order_by("pk").first()
        return render_step_form(step).content

    first = Organization.objects.get(code="DEMO-H01")
    member = (
        Person.objects.filter(organization__path__startswith=first.path)
        .annotate(standing=current_status())
        .filter(standing=Status.FULL)
        .order_by("pk")
        .first()
    )
    letter = issue_letter(member, "示例外省某医院党委", timezone.localdate())
    return {
        "form-approval": form("approval"),
        "form-activist": form("activist_confirmed"),
        "letter": transfer_letter(letter),
    }


def render(name: str, content: bytes, suffix: str = ".xlsx") -> Path:
    source = WORK / f"{name}{suffix}"
    source.write_bytes(content)
    profile = f"-env:UserInstallation=file://{WORK}/lo-profile"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(WORK),
         str(source)], check=True, capture_output=True,
    )  # fmt: skip
    png = HERE / f"{name}.png"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
         str(source.with_suffix(".pdf")), str(png.with_suffix(""))], check=True,
    )  # fmt: skip
    return png


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("load-demo", stdout=io.StringIO())
    made = [render(name, content) for name, content in exports().items()]
    made += [render(name, content, ".docx") for name, content in documents().items()]
    for png in made:
        print(f"{png.relative_to(HERE.parent.parent)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
