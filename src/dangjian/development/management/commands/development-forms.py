import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.development.paperwork import (
    DEFAULTS_DIR,
    FIELDS,
    FORMS,
    hospital_of,
    open_template,
    placeholders_in,
)
from dangjian.development.steps import label
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    help = (
        "发展党员各步骤的标准表单（.docx 模板）：--write-defaults 写出默认模板供医院修改，"
        "--list 列出各表单及其占位符"
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--write-defaults", metavar="DIR", help="把默认模板写到该目录")
        action.add_argument("--list", action="store_true", help="列出表单及其占位符")
        parser.add_argument("--force", action="store_true", help="覆盖目录中已有的同名模板")
        parser.add_argument("--org", help="按该组织所在医院的模板列出（与 --list 同用）")

    def handle(self, *args, write_defaults=None, list=False, force=False, org=None, **options):
        if write_defaults:
            self._write_defaults(Path(write_defaults), force)
        else:
            self._list(org)

    def _write_defaults(self, directory: Path, force: bool) -> None:
        targets = [directory / form.file_name for form in FORMS]
        existing = [str(path) for path in targets if path.exists()]
        if existing and not force:
            # Checked before writing anything: a hospital's edited templates are never lost.
            raise CommandError(
                f"模板已存在，未写入任何文件（加 --force 覆盖）：{'，'.join(existing)}"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for form, target in zip(FORMS, targets, strict=True):
                shutil.copyfile(DEFAULTS_DIR / form.file_name, target)
        except OSError as exc:
            raise CommandError(f"无法写入目录 {directory}：{exc.strerror or exc}") from exc
        for form, target in zip(FORMS, targets, strict=True):
            self.stdout.write(f"{target}　{form.title}")
        self.stdout.write(
            f"已写出 {len(targets)} 个默认模板。修改后将该目录设为 DANGJIAN_FORM_TEMPLATES_DIR"
            "（多家医院共用一套系统时，放在其下以医院党委组织编码命名的子目录中）即可使用。"
        )

    def _list(self, org_code: str | None) -> None:
        hospital = hospital_of(get_org(org_code)) if org_code else None
        for form in FORMS:
            document, template, problems = open_template(form, hospital.code if hospital else "")
            names = placeholders_in(document)
            self.stdout.write(f"{form.title}（{form.file_name}，步骤：{label(form.step)}）")
            self.stdout.write(f"  模板：{template}")
            for problem in problems:
                self.stdout.write(f"  注意：{problem}")
            known = [name for name in names if name in FIELDS]
            unknown = [name for name in names if name not in FIELDS]
            self.stdout.write("  占位符：" + " ".join(_shown(name) for name in known))
            if unknown:
                self.stdout.write(
                    "  无法识别（将留空）：" + " ".join(_shown(name) for name in unknown)
                )
        self.stdout.write("")
        self.stdout.write("可用的占位符：")
        width = max(len(name) for name in FIELDS)
        for name, meaning in FIELDS.items():
            self.stdout.write(f"  {_shown(name).ljust(width + 7)}{meaning}")


def _shown(name: str) -> str:
    return "{{ " + name + " }}"
