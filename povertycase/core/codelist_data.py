"""Default code lists (DOMAIN.md §2, REGISTER_XLSX.md §5), loaded by a data migration.

Each entry: (code, label) or (code, label, extra). `register: False` marks values the
register workbook does not accept; `register_label` is what the workbook writes.
"""

M, F = "1", "2"
NOT_REGISTER = {"register": False}

ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

RELATIONS = [
    ("01", "户主", {"generation": 0}),
    ("02", "配偶", {"generation": 0, "spouse": True}),
    ("03", "之子", {"sex": M, "generation": -1}),
    ("04", "之女", {"sex": F, "generation": -1}),
    ("05", "之儿媳", {"sex": F, "generation": -1}),
    ("06", "之女婿", {"sex": M, "generation": -1}),
    ("07", "之孙子", {"sex": M, "generation": -2}),
    ("08", "之孙女", {"sex": F, "generation": -2}),
    ("09", "之外孙子", {"sex": M, "generation": -2}),
    ("10", "之外孙女", {"sex": F, "generation": -2}),
    ("11", "之曾孙子", {"sex": M, "generation": -3}),
    ("12", "之曾孙女", {"sex": F, "generation": -3}),
    ("13", "之父", {"sex": M, "generation": 1}),
    ("14", "之母", {"sex": F, "generation": 1}),
    ("15", "之公公", {"sex": M, "generation": 1}),
    ("16", "之婆婆", {"sex": F, "generation": 1}),
    ("17", "之岳父", {"sex": M, "generation": 1}),
    ("18", "之岳母", {"sex": F, "generation": 1}),
    ("19", "之祖父", {"sex": M, "generation": 2}),
    ("20", "之祖母", {"sex": F, "generation": 2}),
    ("21", "之外祖父", {"sex": M, "generation": 2}),
    ("22", "之外祖母", {"sex": F, "generation": 2}),
    ("23", "之兄弟姐妹", {"generation": 0}),
    ("24", "之侄儿", {"sex": M, "generation": -1, "register": False}),
    ("25", "之侄女", {"sex": F, "generation": -1, "register": False}),
    ("26", "之叔伯", {"sex": M, "generation": 1, "register": False}),
    ("27", "之兄弟媳妇", {"sex": F, "generation": 0, "register": False}),
    ("99", "其他", {}),
]


def _grades(prefix, code_base, min_age, max_age):
    return [
        (f"{code_base}{i}", f"{prefix}{n}年级", {"min_age": min_age, "max_age": max_age})
        for i, n in enumerate("一二三", start=1)
    ]


STUDENT_STATUS = [
    ("00", "非在校生", {"not_student": True}),
    ("10", "学前教育", {"min_age": 3, "max_age": 7}),
    ("20", "小学", {"min_age": 6, "max_age": 14}),
    ("31", "七年级", {"min_age": 12, "max_age": 16}),
    ("32", "八年级", {"min_age": 13, "max_age": 17}),
    ("33", "九年级", {"min_age": 14, "max_age": 18}),
    *_grades("高中", "4", 15, 20),
    *_grades("中职", "5", 15, 20),
    *_grades("高职", "6", 17, 23),
    ("70", "大专及以上", {"min_age": 17, "max_age": 30}),
]

CODE_LISTS = {
    "sex": [(M, "男"), (F, "女")],
    "id_type": [
        ("1", "居民身份证"),
        ("2", "残疾人证"),
        ("3", "户口簿"),
        ("4", "出生证明"),
        ("9", "其他/无"),
    ],
    "relation": RELATIONS,
    "ethnicity": [(f"{i:02d}", name) for i, name in enumerate(ETHNIC_GROUPS, start=1)]
    + [("97", "其他", NOT_REGISTER), ("98", "外国血统", NOT_REGISTER)],
    "political": [
        ("1", "中共党员"),
        ("2", "中共预备党员"),
        ("3", "共青团员"),
        ("4", "民主党派"),
        ("5", "群众"),
    ],
    "education": [
        ("10", "学龄前儿童", {"max_age": 8}),
        ("20", "文盲或半文盲"),
        ("30", "小学"),
        ("40", "初中"),
        ("50", "高中"),
        ("55", "中专", NOT_REGISTER),
        ("60", "大专及以上"),
        ("61", "技工学校/技师", NOT_REGISTER),
        ("62", "高职高专", NOT_REGISTER),
        ("63", "本科", NOT_REGISTER),
        ("64", "硕士研究生", NOT_REGISTER),
        ("65", "博士研究生", NOT_REGISTER),
    ],
    "student_status": STUDENT_STATUS,
    "health": [("1", "健康"), ("2", "长期慢性病"), ("3", "患有大病"), ("4", "残疾")],
    "labour": [
        ("1", "技能劳动力", {"has_labour": True}),
        ("2", "普通劳动力", {"has_labour": True}),
        ("3", "弱劳动力或半劳动力"),
        ("4", "丧失劳动力"),
        ("5", "无劳动力"),
    ],
    "work_status": [
        ("0", "非务工"),
        ("1", "乡(镇)内务工"),
        ("2", "乡(镇)外县内务工"),
        ("3", "县外省内务工"),
        ("4", "省外务工"),
        ("5", "境外", NOT_REGISTER),
    ],
    "member_status": [
        ("1", "在册"),
        ("2", "死亡"),
        ("3", "迁出"),
        ("4", "婚出"),
        ("5", "失联"),
        ("9", "其他减少"),
    ],
    "household_type": [("1", "贫困户"), ("2", "脱贫户"), ("3", "一般农户")],
    "attribute": [("1", "一般贫困户"), ("2", "低保贫困户"), ("3", "特困供养贫困户")],
    "id_standard": [("1", "国家标准"), ("2", "省定标准"), ("3", "市定标准")],
    "exit_status": [
        ("0", "未脱贫"),
        ("1", "已脱贫（享受政策）", {"register_label": "已脱贫", "exited": True}),
        ("2", "已脱贫（不享受政策）", {"register_label": "已脱贫", "exited": True, "register": False}),
        ("3", "返贫", NOT_REGISTER),
        ("9", "自然减少", NOT_REGISTER),
    ],
    "poverty_cause": [
        ("01", "因病", {"measures": ["A07"]}),
        ("02", "因残", {"measures": ["A11"]}),
        ("03", "因学", {"measures": ["A05", "A06"]}),
        ("04", "因灾", {"measures": ["A08", "A04"]}),
        ("05", "缺土地", {"measures": ["A01", "A02", "A10"]}),
        ("06", "缺水", {"measures": ["A09"]}),
        ("07", "缺技术", {"measures": ["A02"]}),
        ("08", "缺劳力", {"measures": ["A11", "A03", "A01"]}),
        ("09", "缺资金", {"measures": ["A04", "A01"]}),
        ("10", "交通条件落后", {"measures": ["A12", "A10"]}),
        ("11", "自身发展动力不足", {"measures": ["A03"]}),
        ("12", "因婚", NOT_REGISTER),
        ("99", "其他", NOT_REGISTER),
    ],
    "housing_grade": [
        ("A", "A级"),
        ("B", "B级"),
        ("C", "C级", {"dangerous": True}),
        ("D", "D级", {"dangerous": True}),
        ("U", "未鉴定", NOT_REGISTER),
    ],
    "measure_category": [
        ("A01", "产业帮扶"),
        ("A02", "就业帮扶"),
        ("A03", "公益性岗位帮扶"),
        ("A04", "金融帮扶"),
        ("A05", "教育帮扶"),
        ("A06", "义务教育保障"),
        ("A07", "健康帮扶"),
        ("A08", "住房安全保障"),
        ("A09", "饮水安全保障"),
        ("A10", "搬迁"),
        ("A11", "综合保障"),
        ("A12", "生产生活条件改善"),
        ("A13", "社会帮扶"),
        ("A99", "其他"),
    ],
    # The register workbook's twelve measures, each under its national category.
    "measure_item": [
        ("01", "产业帮扶", {"category": "A01"}),
        ("02", "就业帮扶", {"category": "A02"}),
        ("03", "技能培训", {"category": "A02"}),
        ("04", "教育帮扶", {"category": "A05"}),
        ("05", "健康帮扶", {"category": "A07"}),
        ("06", "危房改造", {"category": "A08"}),
        ("07", "易地搬迁", {"category": "A10", "aliases": ["易地扶贫搬迁"]}),
        ("08", "兜底保障", {"category": "A11", "aliases": ["社会保障兜底"]}),
        ("09", "金融帮扶", {"category": "A04", "aliases": ["金融扶贫"]}),
        ("10", "生态帮扶", {"category": "A03", "aliases": ["生态扶贫"]}),
        ("11", "公益岗位", {"category": "A03"}),
        ("12", "资产收益", {"category": "A01"}),
        ("13", "雨露计划", {"category": "A05", "register": False}),
    ],
    "measure_status": [("1", "计划"), ("2", "已落实"), ("3", "已停止")],
    # `national`: the code number of the national systems' exports where it differs from ours.
    "monitor_category": [
        ("M1", "脱贫不稳定户", {"national": "1"}),
        ("M2", "边缘易致贫户", {"national": "2"}),
        ("M3", "突发严重困难户", {"national": "3"}),
    ],
    # DOMAIN.md §2.6; `measures`: the measure categories that answer the risk (MN-008…MN-012).
    "monitor_risk": [
        ("R01", "因病", {"measures": ["A07", "A13"]}),
        ("R02", "因残", {"measures": ["A11", "A13"]}),
        ("R03", "因学", {"measures": ["A06", "A05", "A13"]}),
        ("R04", "因自然灾害"),
        ("R05", "因意外事故"),
        ("R06", "因产业项目失败"),
        ("R07", "因务工就业不稳"),
        ("R08", "缺劳动力"),
        ("R09", "因住房出现安全问题", {"aliases": ["因安全住房"], "measures": ["A08", "A10"]}),
        ("R10", "因饮水安全问题", {"aliases": ["因安全饮水"], "measures": ["A09"]}),
        ("R11", "因义务教育阶段适龄儿童少年失学辍学", {"measures": ["A06"]}),
        ("R12", "因疫情"),
        ("R99", "其他"),
    ],
    "monitor_channel": [("1", "自我申报"), ("2", "干部排查"), ("3", "部门筛查预警"), ("4", "系统监测")],
    "elimination_method": [("1", "帮扶消除"), ("2", "自然消除")],
    "department_kind": [("sector", "行业部门"), ("helper_unit", "帮扶单位")],
    "visit_kind": [("1", "入户"), ("2", "电话"), ("3", "集中")],
    # DOMAIN.md §2.11; 送教上门 counts as enrolled.
    "school_absence_reason": [
        ("1", "因病"),
        ("2", "因残"),
        ("3", "因学习困难"),
        ("4", "因家庭经济困难"),
        ("5", "厌学"),
        ("6", "送教上门", {"enrolled": True}),
        ("9", "其他"),
    ],
    # DOMAIN.md §2.14
    "road_type": [("1", "泥土路"), ("2", "砂石路"), ("3", "水泥路"), ("4", "沥青路"), ("9", "其他")],
    "main_fuel": [("1", "柴草"), ("2", "干畜粪"), ("3", "煤炭"), ("4", "清洁能源"), ("9", "其他")],
    "relocation_mode": [("1", "集中安置"), ("2", "分散安置")],
    # DOMAIN.md §2.12 A03
    "public_post": [("1", "护林员"), ("2", "保洁员"), ("3", "护路员"), ("4", "水管员"), ("9", "其他")],
    "work_channel": [
        ("1", "自主外出"),
        ("2", "有组织劳务输出"),
        ("3", "扶贫车间"),
        ("4", "就近就业"),
        ("9", "其他"),
    ],
}

# (name, year, value, unit, source); DOMAIN.md §3.1, values marked (confirm) there stay editable.
PARAMETERS = [
    ("poverty_line", 2014, 2800, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2015, 2855, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2016, 2952, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2017, 2952, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2018, 2995, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2019, 3218, "元/人/年", "nat (confirm)"),
    ("poverty_line", 2020, 4000, "元/人/年", "nat"),
    ("monitoring_range", 2021, 6000, "元/人/年", "nat"),
    ("monitoring_range", 2022, 6600, "元/人/年", "nat"),
    ("monitoring_range", 2023, 7100, "元/人/年", "nat"),
    ("monitoring_range", 2024, 7500, "元/人/年", "nat (confirm)"),
    ("exited_income_floor", None, 4000, "元/人/年", "fp 3_11_010"),
    ("identification_income_ceiling", None, 20000, "元/人/年", "fp 1111_18"),
    ("transfer_income_share", None, 50, "%", "s001"),
    ("min_months_registration_to_exit", None, 12, "月", "s001"),
    ("household_exit_notice_days", None, 7, "天", "nat"),
    ("visit_interval_days", None, 30, "天", "s001"),
    ("monitoring_decision_days", None, 15, "天", "nat"),
    ("monitoring_notice_days", None, 5, "天", "nat"),
    ("monitoring_min_months", None, 6, "月", "fp 2_11_002"),
    ("monitoring_low_income", None, 7500, "元/人/年", "s001 (default = monitoring range)"),
    ("compulsory_school_age_min", None, 7, "岁", "REGISTER_XLSX.md"),
    ("compulsory_school_age_max", None, 15, "岁", "REGISTER_XLSX.md"),
]
