"""Fictitious people for the demo: names drawn from character lists, resident ID numbers
with the fictitious region code (`people.rules.FICTITIOUS_REGION`), all from one seeded
random generator so that the same seed gives the same people."""

import datetime as dt
import random

from dangjian.people.rules import make_id_number

from .dates import add_years, between

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
# Tibetan names are two common name elements; the female elements mark a woman's name.
TIBETAN_MALE = (
    "扎西",
    "次仁",
    "多吉",
    "平措",
    "格桑",
    "尼玛",
    "达瓦",
    "旺堆",
    "顿珠",
    "索朗",
    "普布",
    "边巴",
    "洛桑",
    "米玛",
    "强巴",
    "丹增",
    "罗布",
    "巴桑",
)
TIBETAN_FEMALE = ("卓玛", "央金", "拉姆", "德吉", "曲珍", "白玛", "央宗", "措姆", "旦增", "玉珍")

# The real people the seed articles name; a generated name never equals one of them.
SEED_NAMES = frozenset(
    {
        "刘辉",
        "徐红艳",
        "陈南山",
        "阮连国",
        "刘颖",
        "文丹宁",
        "黄朝林",
        "刘运磊",
        "武小岗",
        "邵文武",
        "甘丽娟",
        "胡群",
        "车文良",
        "杨克强",
        "李国惠",
        "王艳东",
        "金婵",
    }
)


class PeopleMaker:
    """Names and ID numbers that are unique across one demo build."""

    def __init__(self, rng: random.Random, *, like: "PeopleMaker | None" = None):
        self.rng = rng
        # Makers for several hospitals share what is taken, so names and numbers stay
        # unique across the whole demo while each hospital has its own random stream.
        self._names: set[str] = like._names if like else set()
        self._ids: set[str] = like._ids if like else set()

    def name(self, gender: str, *, tibetan: bool = False) -> str:
        for _ in range(200):
            candidate = self._tibetan(gender) if tibetan else self._han(gender)
            if candidate not in self._names and candidate not in SEED_NAMES:
                self._names.add(candidate)
                return candidate
        raise RuntimeError("name space exhausted")  # pragma: no cover

    def _han(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return surname + given

    def _tibetan(self, gender: str) -> str:
        rng = self.rng
        second = TIBETAN_MALE if gender == "男" else TIBETAN_FEMALE
        return rng.choice(TIBETAN_MALE) + rng.choice(second)

    def id_number(self, birth: dt.date, gender: str) -> str:
        """A checksum-valid number with the fictitious region code, unique in this build."""
        code = "male" if gender == "男" else "female"
        for _ in range(500):
            number = make_id_number(birth, code, self.rng.randrange(1, 500))
            if number not in self._ids:
                self._ids.add(number)
                return number
        raise RuntimeError("ID number space exhausted")  # pragma: no cover

    def gender(self, female_share: float = 0.5) -> str:
        return "女" if self.rng.random() < female_share else "男"

    def birth_date(self, oldest: int, youngest: int, today: dt.date) -> dt.date:
        """A birth date giving an age between `youngest` and `oldest` years on `today`."""
        start = add_years(today, -(oldest + 1)) + dt.timedelta(days=1)
        end = add_years(today, -youngest)
        return between(self.rng, start, end)
