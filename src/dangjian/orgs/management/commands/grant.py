from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.models import Role
from dangjian.accounts.services import grant_role
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    help = "创建用户（如不存在）并授予某组织子树上的角色"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--password", help="初始密码（新用户必填，首次登录须修改）")

    def handle(self, username, role, org, password, **options):
        organization = get_org(org)
        try:
            user, created = grant_role(username, role, organization, password=password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "已创建用户" if created else "用户"
        self.stdout.write(f"{verb} {user.username}：{Role(role).label} @ {organization.code}")
