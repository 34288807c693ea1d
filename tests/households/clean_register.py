"""A clean register workbook written by hand with openpyxl (not by the app's writer or demo).

Everything here is right by REGISTER_XLSX.md and DOMAIN.md, so an import and a full scan must
raise no error-level violation. Headers, codes and ID numbers are spelled out here on purpose:
the test must not share the app's column table or its ID helper.
"""

import datetime
import io
import random

import openpyxl

HEADERS = [  # fmt: skip
    "序号",
    "县",
    "乡(镇)",
    "行政村",
    "户编号",
    "人编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "民族",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工状况",
    "务工时间(月)",
    "是否参加城乡居民基本医疗保险",
    "是否参加大病保险",
    "是否参加城乡居民基本养老保险",
    "是否享受低保",
    "是否特困供养",
    "贫困户属性",
    "主要致贫原因",
    "其他致贫原因",
    "识别时间",
    "脱贫时间",
    "贫困户状态",
    "家庭人口数",
    "耕地面积(亩)",
    "人均纯收入(元)",
    "工资性收入(元)",
    "生产经营性收入(元)",
    "转移性收入(元)",
    "财产性收入(元)",
    "生产经营性支出(元)",
    "是否危房户",
    "危房等级",
    "饮水是否安全",
    "饮水是否困难",
    "是否通生活用电",
    "帮扶责任人",
    "帮扶责任人联系电话",
    "帮扶措施",
    "联系电话",
]
COUNTY, COUNTY_CODE = "青山县", "411529"
VILLAGES = [  # township, village, 12-digit village code
    ("青石镇", "青石村", "411529101201"),
    ("青石镇", "石门村", "411529101202"),
    ("白云乡", "白云村", "411529102201"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国 秀兰 志强 桂英 德明 玉梅 国华 春花 永福 丽娟 明 芳 伟 静".split()
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: datetime.date, seq: int, male: bool) -> str:
    """A GB 11643 number: region, birth date, sequence (odd = man), MOD 11-2 check character."""
    order = seq % 1000 // 2 * 2 + (1 if male else 0)
    if order == 0:
        order = 2
    body = f"{COUNTY_CODE}{birth:%Y%m%d}{order:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def years_ago(today: datetime.date, years: int, days: int = 0) -> datetime.date:
    day = today.replace(year=today.year - years) if (today.month, today.day) != (2, 29) else today
    if day == today and years:
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


class RegisterBuilder:
    """Households of varied make-up, all consistent; `rows()` gives the workbook rows."""

    def __init__(self, today: datetime.date, seed: int = 12):
        self.today = today
        self.random = random.Random(seed)
        self.households: list[list[dict]] = []
        self._person = 0

    # ------------------------------------------------------------ people

    def person(self, relation: str, male: bool, age: int, **fields) -> dict:
        self._person += 1
        birth = years_ago(self.today, age, days=self.random.randint(1, 300))
        name = self.random.choice(SURNAMES) + self.random.choice(GIVEN)
        row = {
            "姓名": name,
            "证件号码": id_number(birth, self._person, male),
            "与户主关系": relation,
            "性别": "男" if male else "女",
            "民族": self.random.choice(["汉族", "汉族", "汉族", "苗族", "土家族"]),
            "_age": age,
        }
        row.update(_by_age(age, self.random))
        row.update(fields)
        return row

    def children(self, count: int, parent_age: int) -> list[dict]:
        kids = []
        for i in range(count):
            age = max(0, parent_age - self.random.randint(22, 30) - 3 * i)
            male = self.random.random() < 0.5
            kids.append(self.person("之子" if male else "之女", male, age))
        return kids

    # ------------------------------------------------------------ households

    def add(self, members: list[dict], *, exited: bool, cause: str, measures: list[str], **fields) -> None:
        number = len(self.households) + 1
        _township, _village, code = VILLAGES[number % len(VILLAGES)]
        size = len(members)
        wage = fields.pop("wage", 9000 * size)
        business = fields.pop("business", 3000)
        transfer = fields.pop("transfer", 1200)
        prop = fields.pop("property", 300)
        expense = fields.pop("expense", 500)
        per_capita = round((wage + business + transfer + prop - expense) / size, 2)
        identified = self.random.randint(2014, 2017)
        household = {
            "户编号": f"{code}{number:04d}",
            "贫困户属性": "一般贫困户",
            "主要致贫原因": cause,
            "其他致贫原因": "",
            "识别时间": f"{identified}-{self.random.randint(1, 12):02d}",
            "脱贫时间": f"{self.random.randint(identified + 2, 2020)}-12" if exited else "",
            "贫困户状态": "已脱贫" if exited else "未脱贫",
            "家庭人口数": size,
            "耕地面积(亩)": round(self.random.uniform(0.5, 8), 1),
            "人均纯收入(元)": per_capita,
            "工资性收入(元)": wage,
            "生产经营性收入(元)": business,
            "转移性收入(元)": transfer,
            "财产性收入(元)": prop,
            "生产经营性支出(元)": expense,
            "是否危房户": "否",
            "危房等级": "",
            "饮水是否安全": "是",
            "饮水是否困难": "否",
            "是否通生活用电": "是",
            "帮扶责任人": "张帮扶",
            "帮扶责任人联系电话": f"138{number:08d}",
            "帮扶措施": ";".join(measures),
            "联系电话": f"139{number:08d}",
            **fields,
        }
        rows = []
        for seq, member in enumerate(members, start=1):
            row = {k: v for k, v in member.items() if not k.startswith("_")}
            rows.append({**household, **row, "人编号": f"{household['户编号']}{seq:02d}"})
        self.households.append(rows)

    def rows(self) -> list[dict]:
        return [row for household in self.households for row in household]


def _by_age(age: int, rnd: random.Random) -> dict:
    """School, education, labour, work and insurance that fit the age."""
    row = {
        "健康状况": "健康",
        "是否参加城乡居民基本医疗保险": "是",
        "是否参加大病保险": "是",
        "是否参加城乡居民基本养老保险": "是" if age >= 16 else "否",
        "是否享受低保": "否",
        "是否特困供养": "否",
        "务工状况": "",
        "务工时间(月)": "",
    }
    if age < 22:  # the pension scheme is for adults out of school
        row["是否参加城乡居民基本养老保险"] = "否"
    if age < 3:
        return {**row, "文化程度": "学龄前儿童", "在校生状况": "", "劳动技能": "无劳动力"}
    if age < 6:
        return {**row, "文化程度": "学龄前儿童", "在校生状况": "学前教育", "劳动技能": "无劳动力"}
    if age < 12:
        return {**row, "文化程度": "小学", "在校生状况": "小学", "劳动技能": "无劳动力"}
    if age < 15:
        stage = {12: "七年级", 13: "八年级", 14: "九年级"}[age]
        return {**row, "文化程度": "小学", "在校生状况": stage, "劳动技能": "无劳动力"}
    if age < 19:
        stage = {15: "高中一年级", 16: "高中一年级", 17: "高中二年级", 18: "高中三年级"}[age]
        return {**row, "文化程度": "初中", "在校生状况": stage, "劳动技能": "无劳动力"}
    if age < 22:
        return {**row, "文化程度": "高中", "在校生状况": "大专及以上", "劳动技能": "无劳动力"}
    if age < 60:
        where = rnd.choice(["乡(镇)内务工", "乡(镇)外县内务工", "县外省内务工", "省外务工"])
        return {
            **row,
            "文化程度": rnd.choice(["小学", "初中", "高中"]),
            "在校生状况": "",
            "劳动技能": rnd.choice(["普通劳动力", "普通劳动力", "技能劳动力"]),
            "务工状况": where,
            "务工时间(月)": rnd.randint(6, 12),
        }
    return {
        **row,
        "文化程度": rnd.choice(["文盲或半文盲", "小学"]),
        "在校生状况": "",
        "劳动技能": rnd.choice(["弱劳动力或半劳动力", "丧失劳动力"]),
    }


def workbook_bytes(rows: list[dict], *, export_date: datetime.date, headers=HEADERS) -> bytes:
    """Title and export line merged across the columns above the header, as the national export."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "建档立卡贫困人口"
    sheet.append([f"{COUNTY}建档立卡贫困人口信息表"])
    sheet.append([f"导出时间：{export_date:%Y-%m-%d} 16:30:05"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.append(headers)
    for serial, row in enumerate(rows, start=1):
        cells = []
        for header in headers:
            value = serial if header == "序号" else row.get(header, "")
            if header in ("县", "乡(镇)", "行政村"):
                value = _region(row["户编号"], header)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _region(number: str, header: str) -> str:
    if header == "县":
        return COUNTY
    township, village, _code = next(v for v in VILLAGES if v[2] == number[:12])
    return township if header == "乡(镇)" else village


def realistic_register(today: datetime.date, households: int = 80, seed: int = 12) -> RegisterBuilder:
    """A county register in miniature: every kind of family, ~70% exited, all of it right."""
    b = RegisterBuilder(today, seed)
    kinds = [
        _capital,
        _illness,
        _schooling,
        _skills,
        _dibao_elders,
        _tekun_single,
        _disabled,
        _blank_optional,
        _three_generations,
        _land,
    ]
    for n in range(households):
        kinds[n % len(kinds)](b, exited=n % 10 < 7)
    return b


def _couple(b: RegisterBuilder, age: int, kids: int = 0) -> list[dict]:
    male = b.random.random() < 0.8
    members = [b.person("户主", male, age), b.person("配偶", not male, age + b.random.randint(-4, 2))]
    return members + b.children(kids, age)


def _capital(b, *, exited):
    b.add(
        _couple(b, b.random.randint(32, 50), b.random.randint(0, 3)),
        exited=exited,
        cause="缺资金",
        measures=["产业帮扶", "金融帮扶"],
        其他致贫原因="缺技术",
        business=6000,
    )


def _illness(b, *, exited):
    members = _couple(b, b.random.randint(50, 58), 1)
    members[0].update(
        {
            "健康状况": b.random.choice(["长期慢性病", "患有大病"]),
            "劳动技能": "弱劳动力或半劳动力",
            "务工状况": "",
            "务工时间(月)": "",
        }
    )
    b.add(members, exited=exited, cause="因病", measures=["健康帮扶", "产业帮扶"])


def _schooling(b, *, exited):
    members = _couple(b, b.random.randint(44, 50))
    members += [b.person("之子", True, 19), b.person("之女", False, 16), b.person("之子", True, 13)]
    b.add(members, exited=exited, cause="因学", measures=["教育帮扶", "就业帮扶"])


def _skills(b, *, exited):
    b.add(
        _couple(b, b.random.randint(28, 36), 2),
        exited=exited,
        cause="缺技术",
        measures=["技能培训", "就业帮扶", "产业帮扶"],
    )


def _elder(b, relation, male, age, **fields):
    return b.person(relation, male, age, **{"劳动技能": "丧失劳动力", **fields})


def _dibao_elders(b, *, exited):
    age = b.random.randint(66, 78)
    yes = {"是否享受低保": "是"}
    members = [_elder(b, "户主", True, age, **yes), _elder(b, "配偶", False, age - 2, **yes)]
    b.add(
        members,
        exited=exited,
        cause="缺劳力",
        measures=["兜底保障", "健康帮扶"],
        贫困户属性="低保贫困户",
        wage=0,
        business=1500,
        transfer=16000,
    )


def _tekun_single(b, *, exited):
    member = _elder(b, "户主", True, b.random.randint(70, 85), 是否特困供养="是", 健康状况="长期慢性病")
    b.add(
        [member],
        exited=exited,
        cause="因病",
        measures=["兜底保障", "健康帮扶"],
        贫困户属性="特困供养贫困户",
        wage=0,
        business=0,
        transfer=10000,
        expense=0,
    )


def _disabled(b, *, exited):
    members = _couple(b, b.random.randint(40, 55), 1)
    members[0].update(
        {"健康状况": "残疾", "劳动技能": "弱劳动力或半劳动力", "务工状况": "乡(镇)内务工", "务工时间(月)": 10}
    )
    b.add(members, exited=exited, cause="因残", measures=["产业帮扶", "公益岗位"])


def _blank_optional(b, *, exited):
    """The optional columns left empty: work, insurance, phones, farmland, other causes; an exited
    household's helper too (a household not exited without one is VS-001's real finding)."""
    members = _couple(b, b.random.randint(35, 55), 1)
    for member in members:
        member.update(
            {"务工状况": "", "务工时间(月)": "", "是否参加大病保险": "", "是否参加城乡居民基本养老保险": ""}
        )
    helper = {"帮扶责任人": "", "帮扶责任人联系电话": ""} if exited else {}
    b.add(
        members,
        exited=exited,
        cause="缺资金",
        measures=["金融帮扶"],
        联系电话="",
        **{"耕地面积(亩)": "", **helper},
    )


def _three_generations(b, *, exited):
    age = b.random.randint(40, 48)
    members = _couple(b, age, 0)
    members += [b.person("之子", True, 23), b.person("之女", False, 8)]
    members.append(_elder(b, "之父" if members[0]["性别"] == "男" else "之岳父", True, age + 28))
    b.add(members, exited=exited, cause="缺技术", measures=["技能培训", "产业帮扶"])


def _land(b, *, exited):
    b.add(
        _couple(b, b.random.randint(30, 60), b.random.randint(0, 2)),
        exited=exited,
        cause="缺土地",
        measures=["产业帮扶", "就业帮扶", "资产收益"],
        **{"耕地面积(亩)": 0.4},
    )
