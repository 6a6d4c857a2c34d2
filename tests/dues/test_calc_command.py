import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["--base", "4500", "--category", "in_service"], "45.00"),
        (["--base", "6000", "--category", "retired"], "60.00"),
        (["--category", "student"], "0.20"),
        (["--base", "3333.33", "--category", "in_service", "--rounding", "up_yuan"], "34.00"),
    ],
)
def test_calc_prints_the_monthly_amount(capsys, args, printed):
    call_command("dues", "calc", *args)
    assert capsys.readouterr().out.strip() == printed


def test_a_bad_base_is_refused_in_chinese():
    with pytest.raises(CommandError, match="不能为负数"):
        call_command("dues", "calc", "--base", "-5", "--category", "in_service")


def test_the_console_script_exits_non_zero_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dangjian", "dues", "calc", "--base", "x", "--category", "in_service"],
        capture_output=True, text=True, env={"DANGJIAN_TESTING": "1", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "不是有效的金额" in result.stderr and result.stderr.strip().count("\n") == 0
