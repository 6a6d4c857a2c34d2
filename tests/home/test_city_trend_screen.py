"""The city overview's added families (development, assessment), its "—" cells, its
sorting markup, the trend over eight quarters and the committee office's big screen:
scoped (a hospital's office gets 404), a fixed number of queries as hospitals grow."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.assessment.rules import last_full_quarter
from dangjian.home.city import city_overview
from dangjian.home.trends import QUARTERS, city_trend, last_quarters
from dangjian.orgs.models import Organization
from tests.factories import hospital_tree
from tests.home.test_city import TODAY, _cells, _city
from tests.pages.scoped import ScopedPageTest
from tests.pages.world import add_dual_branch, add_members
from tests.tasks.builders import a_list, a_task

pytestmark = pytest.mark.django_db


def test_a_hospital_without_records_reads_dash_not_zero(world):
    """HB has no task this year and no dues bills: its overdue tasks, arrears and rates
    are "—"; its members are a fact (0 is shown as 0)."""
    add_members(world.ha_b1, 2)
    _target, area = a_list(world.ha, year=TODAY.year)
    a_task(area, world.ha_b1, due=dt.date(TODAY.year, 12, 31))
    overview = city_overview(Organization.objects.get(pk=world.guidance.pk), TODAY)
    ha, hb = (_cells(row) for row in overview["rows"])
    assert ha["tasks.overdue"].text == "0"
    for key in ("tasks.overdue", "dues.arrears_members", "dues.on_time_rate",
                "service.on_time_ratio"):  # fmt: skip
        assert hb[key].text == "—", key
        assert not hb[key].lagging, key
    assert hb["members.total"].text == "0"
    assert hb["development.admitted"].text == "0"


def test_each_hospital_has_its_branches_mean_score_and_colour(world):
    overview = city_overview(Organization.objects.get(pk=world.guidance.pk), TODAY)
    ha = _cells(overview["rows"][0])["assessment.mean_score"]
    # Two branches with no member and no record: the meetings due (30 → 0), "no task
    # overdue" (15 → 15) and "no service" (10 → 0) are judged: 15 / 55 = 27.3, red.
    assert (ha.value, ha.text, ha.colour, ha.detail) == (27.3, "27.3", "red", "2 / 2")
    assert overview["assessed"] == last_full_quarter(TODAY)


def test_the_page_sorts_by_every_column_and_links_the_trend_and_screen(client, world):
    _city(world)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    page = client.get(reverse("home:city"), {"org": "CITY"}).content.decode()
    overview = city_overview(Organization.objects.get(pk=world.guidance.pk), TODAY)
    for n in range(len(overview["columns"]) + 1):
        assert f'data-dj-sort="{n}"' in page
    assert 'data-key="dues.on_time_rate" data-sort-value=""' in page  # "—" sorts last
    ha = _cells(overview["rows"][0])["assessment.mean_score"]
    assert f'data-key="assessment.mean_score" data-sort-value="{ha.value}"' in page
    assert reverse("home:city_trend") in page and reverse("home:city_screen") in page


def test_the_trend_follows_a_figure_over_eight_quarters(world):
    """HA's task is overdue since last year's December: each quarter counts the tasks it
    covers."""
    _city(world)
    quarters = last_quarters(TODAY)
    assert len(quarters) == QUARTERS and quarters[-1] == last_full_quarter(TODAY)
    assert [q.start for q in quarters] == sorted(q.start for q in quarters)
    trend = city_trend(Organization.objects.get(pk=world.guidance.pk), "tasks.overdue", TODAY)
    assert [h.code for h, _texts in trend["rows"]] == ["HA", "HB"]
    assert len(trend["city"]) == QUARTERS
    assert trend["chart"]["categories"] == [q.code for q in quarters]
    assert [s["name"] for s in trend["chart"]["series"]][1:] == ["HA医院党委", "HB医院党委"]
    texts = {h.code: t for h, t in trend["rows"]}
    # HB's task of last year's list fell due on 1 December: overdue from last year's Q4
    # on, carried over; before, on time ("0"); in the quarters of no list, "—". HA's task
    # of this year's list is not yet due.
    last_q4 = [q.code for q in quarters].index(f"{TODAY.year - 1}-Q4")
    assert texts["HB"][last_q4:] == ["1"] * (QUARTERS - last_q4)
    assert texts["HB"][last_q4 - 1] == "0"
    assert trend["city"][last_q4:] == texts["HB"][last_q4:]
    assert texts["HA"][last_q4] == "—" and set(texts["HA"][last_q4 + 1 :]) <= {"0", "—"}


def test_a_percentage_trend_is_charted_in_percent(world):
    trend = city_trend(
        Organization.objects.get(pk=world.guidance.pk), "meetings.compliant_branches_ratio", TODAY
    )
    assert trend["chart"]["series"][0]["percent"] is True
    assert trend["chart"]["series"][0]["data"][-1] == 0.0 and trend["city"][-1] == "0.0%"
    trend = city_trend(
        Organization.objects.get(pk=world.guidance.pk), "assessment.mean_score", TODAY
    )
    assert trend["chart"]["series"][0]["data"][-1] == 27.3
    assert trend["city"][-1] == "27.3"


def test_the_trend_page_offers_the_figures_and_a_table(client, world):
    _city(world)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    response = client.get(
        reverse("home:city_trend"), {"org": "CITY", "figure": "dues.on_time_rate"}
    )
    page = response.content.decode()
    assert 'id="trend-table"' in page and 'data-chart="chart-trend"' in page
    assert '<option value="dues.on_time_rate" selected>' in page
    assert last_full_quarter(TODAY).label in page
    # An unknown figure falls back to the default one.
    page = client.get(reverse("home:city_trend"), {"org": "CITY", "figure": "x"}).content.decode()
    assert '<option value="meetings.compliant_branches_ratio" selected>' in page


def test_the_big_screen_refreshes_itself_and_ranks_hospitals(client, world):
    _city(world)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    response = client.get(reverse("home:city_screen"), {"org": "CITY"})
    page = response.content.decode()
    assert 'data-dj-refresh="300"' in page and "/static/js/dangjian.js" in page
    assert 'id="screen-ranking"' in page and "HA医院党委" in page and "HB医院党委" in page
    assert 'data-theme="dark"' in page and "<script>" not in page and "style=" not in page
    nav = client.get(reverse("home:city"), {"org": "CITY"}).content.decode()
    assert f'href="{reverse("home:city_screen")}"' in nav  # in the committee's menu


@pytest.mark.parametrize("name", ["home:city_trend", "home:city_screen"])
def test_a_hospital_office_gets_404(client, world, name):
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get(reverse(name), {"org": "CITY"}).status_code == 404
    assert client.get(reverse(name)).status_code == 404  # its own hospital is no city
    assert client.get(reverse(name), {"org": "HB"}).status_code == 404
    nav = client.get(reverse("home:office")).content.decode()
    assert reverse("home:city_screen") not in nav


class _Grows:
    viewer_role = Role.GUIDANCE
    viewer_hospital = "CITY"

    def grow(self, world, n):
        for _ in range(n):
            city = Organization.objects.get(pk=world.guidance.pk)
            code = f"HX{Organization.objects.count()}"
            hospital, b1, _b2 = hospital_tree(code, city)
            add_members(b1, 2)
            add_dual_branch(hospital, f"{code}-D")
            _target, area = a_list(hospital, year=TODAY.year)
            a_task(area, b1, due=dt.date(TODAY.year, 12, 31))


class TestTrendPage(_Grows, ScopedPageTest):
    expected_text = ("全市趋势", "HA医院党委")

    def url(self, world):
        return f"{reverse('home:city_trend')}?org=CITY&figure=dues.on_time_rate"


class TestAssessmentTrendPage(_Grows, ScopedPageTest):
    expected_text = ("全市趋势", "支部考核平均分")

    def url(self, world):
        return f"{reverse('home:city_trend')}?org=CITY&figure=assessment.mean_score"


class TestScreenPage(_Grows, ScopedPageTest):
    expected_text = ("党建大屏", "医院排名")

    def url(self, world):
        return f"{reverse('home:city_screen')}?org=CITY"


def test_the_city_page_costs_the_same_for_3_hospitals_as_for_9(
    client, world, django_assert_max_num_queries
):
    grower = _Grows()
    grower.grow(world, 1)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    url = f"{reverse('home:city')}?org=CITY"
    client.get(url)
    from tests.pages.scoped import count_queries

    few, _ = count_queries(client, url)
    grower.grow(world, 6)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    assert timezone.localdate() == TODAY
