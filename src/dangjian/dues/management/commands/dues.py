"""`dangjian dues calc --base 4500 --category in_service` prints the monthly amount."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.dues.rules import DuesCategory, DuesError, Rounding, monthly_amount


class Command(BaseCommand):
    help = "党费：calc 计算每月应交金额"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        calc = sub.add_parser("calc", help="按基数和类别计算每月党费")
        calc.add_argument("--base", default="0", help="月交纳基数（元）")
        calc.add_argument("--category", required=True, help="、".join(DuesCategory.values))
        calc.add_argument("--rounding", default=Rounding.HALF_UP_FEN, choices=Rounding.values)
        calc.add_argument("--farmer-amount", help="农民党员每月金额（0.2–1 元）")

    def handle(self, action, **options):
        try:
            amount = monthly_amount(
                options["base"],
                options["category"],
                rounding=options["rounding"],
                farmer_amount=options["farmer_amount"],
            )
        except DuesError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{amount}")
