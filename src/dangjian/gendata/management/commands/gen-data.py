import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.gendata.services import GenDataError, generate


class Command(BaseCommand):
    help = (
        "生成合成数据：指导委员会 GEN 与医院 GEN-H001…，含多年组织生活、发展党员、党费、"
        "目标任务与三重一大；同一种子生成相同数据"
    )

    def add_arguments(self, parser):
        parser.add_argument("--hospitals", type=int, required=True, help="医院数（87 约为全市）")
        parser.add_argument("--years", type=int, default=5, help="年数（默认 5）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出各表行数与用时")

    def handle(self, **options):
        verbose = options["verbosity"] > 1
        try:
            counts = generate(
                options["hospitals"],
                options["years"],
                options["seed"],
                progress=self.stdout.write if verbose else None,
            )
        except GenDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        rows = sum(v for k, v in counts.items() if k != "seconds")
        self.stdout.write(
            _("已生成 %(hospitals)s 家医院、%(years)s 年的数据：%(rows)s 行，用时 %(seconds)s 秒")
            % {
                "hospitals": options["hospitals"],
                "years": options["years"],
                "rows": rows,
                "seconds": counts["seconds"],
            }  # fmt: skip
        )
