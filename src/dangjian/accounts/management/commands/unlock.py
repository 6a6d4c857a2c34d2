from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts import administration
from dangjian.accounts.models import User


class Command(BaseCommand):
    help = "解除某账号因登录失败过多而被锁定的状态（党委办公室核实本人身份后执行）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        cleared = administration.unlock(None, user)
        self.stdout.write(f"已解除 {username} 的登录锁定（清除 {cleared} 条失败记录）")
