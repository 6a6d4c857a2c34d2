import json

import pytest
from django.urls import reverse

from dangjian.orgs.models import DepartmentCategory, OrgKind
from dangjian.people.models import Employment, Status
from tests.factories import add_org

from .scoped import ScopedPageTest
from .world import add_dual_branch, add_members

pytestmark = pytest.mark.django_db


class TestDashboard(ScopedPageTest):
    expected_text = ("统计看板", "党员总数", "“双带头人”比例", "下级组织对比", "HA心内科党支部")

    def url(self, world):
        return reverse("dashboard:home") + f"?org={world.ha.code}"

    def grow(self, world, n):
        start = world.ha.numchild
        for i in range(n):
            branch = add_dual_branch(world.ha, f"HA-D{start + i}")
            add_members(branch, 2, status=Status.PROBATIONARY)


class TestCityDashboard(ScopedPageTest):
    viewer_role = "guidance"
    viewer_hospital = "CITY"
    expected_text = ("示例市医院党建工作指导委员会", "HA医院党委", "HB医院党委")

    def url(self, world):
        return reverse("dashboard:home") + "?org=CITY"

    def grow(self, world, n):
        world.guidance.refresh_from_db()
        for _ in range(n):
            code = f"HX{world.guidance.numchild + 1}"
            hospital = add_org(world.guidance, code, OrgKind.COMMITTEE, f"{code}医院党委")
            add_dual_branch(hospital, f"{code}-B1")
            world.guidance.refresh_from_db()

    def test_other_hospital_cannot_see_it(self, client, world):
        # The outsider here is a hospital's office: the city is above its subtree.
        client.force_login(world.user("office", "B"))
        assert client.get(self.url(world)).status_code == 404


def _chart(response, name):
    page = response.content.decode()
    start = page.index(f'<script id="chart-{name}" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


@pytest.fixture
def small_tree(world):
    """Hospital A: B1 (心内科, clinical, no secretary), B2 (no department), B3 (clinical,
    dual leader), B4 (nursing, dual leader), and a temporary branch."""
    add_members(world.ha_b1, 3)
    add_members(world.ha_b2, 1, status=Status.PROBATIONARY, employment=Employment.RETIRED)
    add_members(world.ha_b2, 2, status=Status.ACTIVIST)
    add_dual_branch(world.ha, "HA-B3")
    add_dual_branch(world.ha, "HA-B4", category=DepartmentCategory.NURSING)
    add_org(world.ha, "HA-T1", OrgKind.BRANCH, "HA抗疫临时党支部", is_temporary=True)
    world.ha.refresh_from_db()
    return world


def _cards(response) -> dict:
    return {card["key"]: card["value"] for card in response.context["cards"]}


def test_dashboard_shows_the_figures_of_a_small_tree(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home"))  # default: the user's top org
    assert response.status_code == 200
    assert response.context["org"] == world.ha
    cards = _cards(response)
    assert cards["members.total"] == "6"  # 3 + 1 + two secretaries
    assert cards["members.full"] == "5"
    assert cards["members.probationary"] == "1"
    assert cards["members.retired"] == "1"
    assert cards["organizations.branches"] == "5"
    assert cards["organizations.temporary_branches"] == "1"
    assert cards["branches.clinical"] == "2"
    assert cards["branches.dual_leader"] == "2"
    assert cards["branches.dual_leader_ratio"] == "66.7%"  # 2 of 3 linked branches
    assert cards["branches.clinical_dual_leader_ratio"] == "50.0%"
    page = response.content.decode()
    assert "党员总数" in page and "66.7%" in page and "临床医技党支部" in page


def test_dashboard_charts_and_child_comparison(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home") + "?org=HA")
    status = {d["name"]: d["value"] for d in _chart(response, "status")["data"]}
    assert status == {"正式党员": 5, "预备党员": 1}
    employment = {d["name"]: d["value"] for d in _chart(response, "employment")["data"]}
    assert employment == {"在职": 5, "离退休": 1}
    categories = {d["name"]: d["value"] for d in _chart(response, "categories")["data"]}
    assert categories == {"临床": 2, "护理": 1, "未关联科室": 2}
    children = _chart(response, "children")
    assert children["categories"][0] == "HA心内科党支部"
    members = dict(zip(children["categories"], children["series"][0]["data"], strict=True))
    assert members["HA心内科党支部"] == 3 and members["HA-B3党支部"] == 1
    ratios = dict(zip(children["categories"], children["series"][1]["data"], strict=True))
    assert ratios["HA-B3党支部"] == 100 and ratios["HA心内科党支部"] == 0
    assert ratios["HA行政党支部"] is None  # not linked to a department
    assert children["links"][0] == reverse("dashboard:home") + "?org=HA-B1"


def test_city_dashboard_compares_hospitals_and_drills_down(client, small_tree):
    world = small_tree
    client.force_login(world.user("guidance", "CITY"))
    response = client.get(reverse("dashboard:home") + "?org=CITY&to=2099-12-31")
    rows = {c.code: c for c in response.context["children"]}
    assert set(rows) == {"HA", "HB"}
    assert rows["HA"].member_count == 6 and rows["HB"].member_count == 0
    assert rows["HA"].dual_ratio == pytest.approx(2 / 3)
    assert rows["HB"].dual_ratio == 0
    assert "?org=HA&amp;to=2099-12-31" in response.content.decode()
    drill = client.get(reverse("dashboard:home") + "?org=HA&to=2099-12-31")
    assert drill.status_code == 200 and _cards(drill)["members.total"] == "6"
    assert "示例市医院党建工作指导委员会" in drill.content.decode()  # breadcrumb up


def test_dashboard_as_of_a_past_date(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home") + "?org=HA&to=2005-01-01")
    assert _cards(response)["members.total"] == "0"  # everyone joined in 2010


def test_dashboard_refuses_a_reversed_period(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home") + "?org=HA&from=2024-05-01&to=2024-01-01")
    assert response.status_code == 200
    assert "开始日期不能晚于截止日期" in response.content.decode()


def test_dashboard_of_another_hospital_is_404(client, world):
    client.force_login(world.user("office"))
    assert client.get(reverse("dashboard:home") + "?org=HB").status_code == 404
    assert client.get(reverse("dashboard:home") + "?org=NOPE").status_code == 404


def test_dashboard_without_any_grant(client, world):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert "您还没有可查看的党组织" in response.content.decode()


def test_dashboard_with_a_malformed_date_shows_the_error_and_todays_figures(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home") + "?org=HA&to=2024-13-45")
    assert response.status_code == 200
    assert "输入一个有效的日期" in response.content.decode()
    assert _cards(response)["members.total"] == "6"


def test_dashboard_with_a_start_after_today_explains_instead_of_failing(client, small_tree):
    world = small_tree
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:home") + "?org=HA&from=2999-01-01")
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert _cards(response)["members.total"] == "6"


def test_a_province_compares_its_hospitals_a_page_at_a_time_in_the_order_asked(client, small_tree):
    """Fifty-three hospitals: fifty a page, the chart shows the page's, and the order (by
    a figure, nothing-to-measure last) holds across pages."""
    world = small_tree
    for i in range(51):
        hospital = add_org(world.guidance, f"HP{i:02}", OrgKind.COMMITTEE, f"HP{i:02}医院党委")
        if i == 7:
            add_members(add_dual_branch(hospital, "HP07-B1"), 2)
    client.force_login(world.user("guidance", "CITY"))
    url = reverse("dashboard:home") + "?org=CITY&to=2099-12-31"
    first = client.get(url)
    codes = [c.code for c in first.context["children"]]
    assert len(codes) == 50 and codes[:2] == ["HA", "HB"]
    assert _chart(first, "children")["categories"] == [c.name for c in first.context["children"]]
    assert "共 53 个" in first.content.decode()
    # tree order reads only the page's hospitals, with the same figures as the full ranking
    ranked = {c.code: c for c in client.get(url + "&order=members").context["children"]}
    for child in first.context["children"]:
        assert (child.member_count, child.dual_ratio) == (
            ranked[child.code].member_count, ranked[child.code].dual_ratio
        ), child.code  # fmt: skip
    assert ranked["HP07"].member_count == 3 and ranked["HP07"].dual_ratio == 1.0
    second = client.get(url + "&page=2")
    assert [c.code for c in second.context["children"]] == ["HP48", "HP49", "HP50"]

    by_members = client.get(url + "&order=members")
    assert [c.code for c in by_members.context["children"]][:2] == ["HA", "HP07"]
    assert "order=members&amp;page=2" in by_members.content.decode()
    by_dual = [c.code for c in client.get(url + "&order=dual").context["children"]]
    assert by_dual[:3] == ["HP07", "HA", "HB"]  # 100 %, 2/3, 0; the rest have no branches
    low = client.get(url + "&order=dual_low&page=2").context["children"]
    assert [c.dual_ratio for c in low] == [None, None, None]  # nothing to measure: last
    unknown = client.get(url + "&order=nonsense")
    assert [c.code for c in unknown.context["children"]] == codes
