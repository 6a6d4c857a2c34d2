"""Demo accounts, one per role, sharing one demo-only password. `DEMO_ACCOUNTS_MARKDOWN`
is the table the README shows."""

from dataclasses import dataclass

from .hospitals_a import H01_ACCOUNT_BRANCH

# Demo only: never use it on a server holding real data.
DEMO_PASSWORD = "Demo-2024-dj"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    org: str  # organisation code of the subtree the role covers
    description: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "demo_guidance",
        "guidance",
        "DEMO",
        "指导委员会：示例市医院党建工作指导委员会，查看全部示例医院（只读）",
    ),
    DemoAccount("demo_office", "office", "DEMO-H01", "党委办公室：示例西藏成办医院党委"),
    DemoAccount(
        "demo_secretary",
        "secretary",
        H01_ACCOUNT_BRANCH,
        "支部书记：示例西藏成办医院 呼吸内科党支部",
    ),
    DemoAccount(
        "demo_member",
        "member",
        H01_ACCOUNT_BRANCH,
        "党员：示例西藏成办医院 呼吸内科党支部的一名党员（只看本人）",
    ),
    DemoAccount(
        "demo_office_h04",
        "office",
        "DEMO-H04",
        "党委办公室：示例佳木斯市传染病院党委（目标任务清单、“三重一大”决策）",
    ),
    DemoAccount(
        "demo_auditor", "auditor", "DEMO-H01", "纪检：示例西藏成办医院党委（只读，可查审计日志）"
    ),
    # 三权分立: one administrator of each kind for that hospital.
    DemoAccount(
        "demo_sysadmin",
        "sysadmin",
        "DEMO-H01",
        "系统管理员：该院账号（新建、停用、解锁、重设密码）",
    ),
    DemoAccount(
        "demo_secadmin", "secadmin", "DEMO-H01", "安全管理员：该院角色授权与安全策略（动态口令）"
    ),
    DemoAccount(
        "demo_auditadmin", "auditadmin", "DEMO-H01", "审计管理员：该院审计日志与安全事件（只读）"
    ),
)


def accounts_markdown() -> str:
    lines = [
        "| 用户名 | 角色 | 范围（组织编码） | 说明 |",
        "|---|---|---|---|",
        *(f"| `{a.username}` | {a.role} | {a.org} | {a.description} |" for a in DEMO_ACCOUNTS),
        "",
        f"演示账号共用密码 `{DEMO_PASSWORD}`，仅用于本机演示，切勿在存有真实数据的服务器上载入示例数据。",
    ]
    return "\n".join(lines)


def accounts_text() -> str:
    """The accounts as `dangjian demo` prints them before serving."""
    width = max(len(a.username) for a in DEMO_ACCOUNTS)
    lines = ["演示账号（密码均为 " + DEMO_PASSWORD + "，仅供演示）："]
    lines += [f"  {a.username.ljust(width)}  {a.description}" for a in DEMO_ACCOUNTS]
    return "\n".join(lines)


DEMO_ACCOUNTS_MARKDOWN = accounts_markdown()
