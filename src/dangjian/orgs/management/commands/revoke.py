from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts import administration
from dangjian.accounts.models import Role, RoleGrant
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    help = "撤销用户在某组织子树上的角色（与 grant 相对）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--org", required=True, help="组织编码")

    def handle(self, username, role, org, **options):
        organization = get_org(org)
        grant = RoleGrant.objects.filter(
            user__username=username, role=role, organization=organization
        ).first()
        if grant is None:
            raise CommandError(f"{username} 在 {organization.code} 没有 {Role(role).label} 角色")
        administration.revoke(None, grant)
        self.stdout.write(f"已撤销 {username}：{Role(role).label} @ {organization.code}")
