import errno
import os
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dangjian.demo.accounts import accounts_text

HOST, DEFAULT_PORT = "127.0.0.1", 8000


def port_from(value: str | None) -> int:
    """The port to serve on: `value` (the PORT environment variable), else 8000."""
    if value is None or not value.strip():
        return DEFAULT_PORT
    if not value.strip().isdigit() or not 1 <= int(value) <= 65535:
        raise CommandError(f"端口“{value}”无效：PORT 须为 1–65535 之间的整数")
    return int(value)


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


class Command(BaseCommand):
    help = (
        "一键演示：迁移数据库、载入示例数据，并在 http://127.0.0.1:8000 启动服务"
        "（端口取自环境变量 PORT，默认 8000）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", help="端口（默认取环境变量 PORT，未设置时为 8000）")

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "演示须在调试模式下运行：请使用 DEBUG=1 dangjian demo（或 make demo）"
            )
        port = port_from(options.get("port") or os.environ.get("PORT"))
        if not port_free(HOST, port):
            raise CommandError(
                f"端口 {port} 已被占用：请先关闭占用该端口的程序，或换一个端口（PORT=8001 make demo）"
            )
        self.stdout.write("正在迁移数据库……")
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except Exception as exc:
            if options.get("traceback"):
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(f"数据库迁移失败：{first}") from exc
        self.stdout.write("数据库已是最新结构。")
        call_command("load-demo", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("")
        self.stdout.write(accounts_text())
        self.stdout.write("")
        self.stdout.write(
            f"在浏览器中打开 http://{HOST}:{port}/ ，按 Ctrl+C 停止"
            f"（端口取自环境变量 PORT，默认 {DEFAULT_PORT}）。"
        )
        runner = start_job_runner()
        self.stdout.write("后台任务（提醒、邮件与工作群消息）已启动。")
        try:
            call_command("runserver", f"{HOST}:{port}", use_reloader=False)
        finally:
            runner.terminate()
            runner.wait(timeout=10)


def start_job_runner() -> subprocess.Popen:
    """The huey consumer beside the server, so reminders and notices reach people in the
    demo as they would in production (where it runs as its own service)."""
    return subprocess.Popen(
        [sys.executable, "-m", "dangjian", "run_huey", "--workers", "2", "--quiet"],
        env=os.environ.copy(),
    )
