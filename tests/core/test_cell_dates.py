"""core.cell_dates: dates typed every way Chinese offices type them; the ambiguous ones
refused with the forms that are accepted."""

import datetime as dt

import pytest

from dangjian.core.cell_dates import SERIAL, DateProblem, cell_date

D = dt.date


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-05-01", (D(2019, 5, 1), "2019-05-01")),
        ("2019-5-1", (D(2019, 5, 1), "2019-5-1")),
        ("2019.05.01", (D(2019, 5, 1), "2019.05.01")),
        ("2019.5.1", (D(2019, 5, 1), "2019.05.01")),
        ("2019/5/1", (D(2019, 5, 1), "2019/5/1")),
        ("2019/05/01", (D(2019, 5, 1), "2019/5/1")),
        ("2019年5月1日", (D(2019, 5, 1), "2019年5月1日")),
        ("2019年05月01", (D(2019, 5, 1), "2019年5月1日")),
        ("20190501", (D(2019, 5, 1), "20190501")),
        (20190501, (D(2019, 5, 1), "20190501")),
        ("２０１９．０５．０１", (D(2019, 5, 1), "2019.05.01")),
        (" 2019-05-01 00:00:00 ", (D(2019, 5, 1), "2019-05-01")),
        (43586.0, (D(2019, 5, 1), SERIAL)),
        (43586.75, (D(2019, 5, 1), SERIAL)),
        (dt.datetime(2019, 5, 1, 8, 30), (D(2019, 5, 1), "")),
        (D(2019, 5, 1), (D(2019, 5, 1), "")),
        ("", (None, "")),
        (None, (None, "")),
        ("　", (None, "")),
    ],
)
def test_every_unambiguous_date_form_is_read(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019.05", (D(2019, 5, 1), "2019.05")),
        ("2019-05", (D(2019, 5, 1), "2019-05")),
        ("2019/5", (D(2019, 5, 1), "2019/05")),
        ("2019年5月", (D(2019, 5, 1), "2019年5月")),
        (2019.05, (D(2019, 5, 1), "2019.05（数字）")),
        (2019.12, (D(2019, 12, 1), "2019.05（数字）")),
        (2019.3, (D(2019, 3, 1), "2019.05（数字）")),
        ("2019-05-01", (D(2019, 5, 1), "2019-05-01")),
    ],
)
def test_a_month_alone_where_the_column_allows_it(value, expected):
    assert cell_date(value, month_only=True) == expected


@pytest.mark.parametrize(
    "value, month_only, reason",
    [
        ("2019.05", False, "须写到日：2019.05"),
        ("2019年5月", False, "须写到日：2019年5月"),
        (2019.05, False, "须写到日：2019.05"),
        (2019.1, True, "年月被 Excel 存成了数字 2019.1，无法分辨是几月"),
        (2019.13, True, "年月被 Excel 存成了数字 2019.13"),
        ("05/01/2019", False, "无法识别的日期：05/01/2019"),
        ("5/1/19", False, "无法识别的日期：5/1/19"),
        ("19.5.1", False, "无法识别的日期：19.5.1"),
        ("二〇一九年五月一日", False, "无法识别的日期"),
        ("2019-02-30", False, "不是有效的日期：2019-02-30"),
        ("2019.13", True, "不是有效的日期：2019.13"),
        (2019, False, "只有年份：2019"),
        (5, False, "无法识别的日期：5"),  # serial 5 would be 1900: not a roster date
        (True, False, "不是日期：是"),
        ("2019-05-01 08:30", False, "无法识别的日期"),
    ],
)
def test_ambiguous_or_partial_dates_are_refused_with_the_accepted_forms(value, month_only, reason):
    with pytest.raises(DateProblem) as refused:
        cell_date(value, month_only=month_only)
    assert str(refused.value).startswith(reason)


def test_the_refusal_names_the_forms():
    with pytest.raises(DateProblem, match="可用格式：2019-05-01、2019-5-1、2019.05.01"):
        cell_date("05/01/2019")
    with pytest.raises(DateProblem, match="或只写年月：2019.05、2019-05、2019/05、2019年5月"):
        cell_date("May 2019", month_only=True)
