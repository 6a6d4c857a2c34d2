from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.models import User
from dangjian.accounts.services import active_tokens, revoke_feeds, revoke_tokens


class Command(BaseCommand):
    help = (
        "列出某用户有效的接口令牌；--revoke 编号… 或 --revoke-all 撤销令牌，"
        "--revoke-feeds 作废其全部日历订阅链接"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke", type=int, nargs="+", metavar="ID", help="撤销这些编号的令牌"
        )
        parser.add_argument("--revoke-all", action="store_true", help="撤销全部令牌")
        parser.add_argument(
            "--revoke-feeds", action="store_true", dest="feeds", help="作废全部日历订阅链接"
        )

    def handle(self, username, revoke, revoke_all, feeds, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if feeds:
            revoke_feeds(user)
            self.stdout.write(f"已作废 {username} 的全部日历订阅链接")
        if revoke or revoke_all:
            count = revoke_tokens(user, None if revoke_all else revoke, reason="command")
            self.stdout.write(f"已撤销 {username} 的接口令牌 {count} 个")
        elif not feeds:
            tokens = list(active_tokens(user))
            self.stdout.write(f"{username} 有效的接口令牌 {len(tokens)} 个")
            for t in tokens:
                self.stdout.write(
                    f"{t.pk}\t签发 {t.created_at:%Y-%m-%d %H:%M}\t到期 {t.expires_at:%Y-%m-%d %H:%M}"
                )
