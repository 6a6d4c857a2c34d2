from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts import administration
from dangjian.accounts.models import User

ACTIONS = {
    "show": "显示账号状态和角色",
    "deactivate": "停用账号（登录、接口令牌和订阅链接全部失效）",
    "activate": "重新启用账号",
    "reset-otp": "重置动态口令（下次登录重新绑定身份验证器）",
}


class Command(BaseCommand):
    help = "管理账号：" + "；".join(f"{name} {text}" for name, text in ACTIONS.items())

    def add_arguments(self, parser):
        parser.add_argument("action", choices=list(ACTIONS))
        parser.add_argument("username")

    def handle(self, action, username, **options):
        user = User.objects.select_related("organization").filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        try:
            if action == "deactivate":
                administration.set_active(None, user, False)
            elif action == "activate":
                administration.set_active(None, user, True)
            elif action == "reset-otp":
                administration.reset_second_factor(None, user)
        except administration.AccountRefusal as exc:
            raise CommandError(str(exc)) from exc
        self._show(user)

    def _show(self, user):
        state = "启用" if user.is_active else "停用"
        home = user.organization.code if user.organization else "—"
        self.stdout.write(f"{user.username}（{user.first_name or '—'}）所属 {home}，{state}")
        for grant in user.grants.select_related("organization").order_by("pk"):
            self.stdout.write(f"  {grant.get_role_display()} @ {grant.organization.code}")
