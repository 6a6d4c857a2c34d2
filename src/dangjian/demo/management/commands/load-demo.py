from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from dangjian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from dangjian.demo.figures import GUIDANCE
from dangjian.demo.loader import DemoError, demo_loaded, load_demo


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Command(BaseCommand):
    help = (
        "载入示例数据：示例市医院党建工作指导委员会（DEMO）下的五家示例医院与演示账号；"
        "已载入时不做任何改动"
    )

    def handle(self, **options):
        if not (settings.DEBUG or settings.TESTING):
            # The demo's people and accounts (one shared password) must never reach a
            # production database.
            raise CommandError(
                "示例数据只能在调试模式下载入（DEBUG=1）：生产环境的数据库中不得混入虚构人员和演示账号"
            )
        verbose = options["verbosity"] > 1
        try:
            if demo_loaded():
                self.stdout.write(
                    f"示例数据已载入（组织编码 {GUIDANCE[0]} 已存在），未做任何改动。"
                )
                return
            result = load_demo(progress=self.stdout.write if verbose else None)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            if options.get("traceback"):
                raise
            raise CommandError(
                f"数据库错误：{one_line(exc)}（是否已运行 dangjian migrate？）"
            ) from exc
        except Exception as exc:
            if options.get("traceback"):
                raise
            raise CommandError(f"载入示例数据失败：{one_line(exc)}") from exc
        hospitals = len(result.rosters) - 1
        people = sum(len(r.people) for r in result.rosters.values())
        members = sum(p.is_member for r in result.rosters.values() for p in r.people)
        branches = sum(o.kind == "党支部" for r in result.rosters.values() for o in r.orgs)
        self.stdout.write(
            f"已载入示例数据：{hospitals} 家示例医院，{branches} 个党支部，{members} 名党员"
            f"（共 {people} 人），用时 {result.seconds:.1f} 秒。"
        )
        names = "、".join(a.username for a in DEMO_ACCOUNTS)
        self.stdout.write(f"演示账号：{names}（密码 {DEMO_PASSWORD}，仅供演示）。")
