import errno
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dangjian.demo.accounts import accounts_text

HOST, PORT = "127.0.0.1", 8000


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
    help = "一键演示：迁移数据库、载入示例数据，并在 http://127.0.0.1:8000 启动服务"

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "演示须在调试模式下运行：请使用 DEBUG=1 dangjian demo（或 make demo）"
            )
        if not port_free(HOST, PORT):
            raise CommandError(f"端口 {PORT} 已被占用：请先关闭占用该端口的程序")
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
        self.stdout.write(f"在浏览器中打开 http://{HOST}:{PORT}/ ，按 Ctrl+C 停止。")
        call_command("runserver", f"{HOST}:{PORT}", use_reloader=False)
