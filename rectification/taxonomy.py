"""Default data of the ledger (DOMAIN.md §6.1, §6.3): sources and the two-level category tree.

Loaded by a data migration; a county edits or imports its own afterwards.
"""

# (code, label, aliases accepted by the importer)
SOURCES = [
    ("01", "中央巡视", ["巡视", "中央巡视反馈", "巡视回头看"]),
    ("02", "国家成效考核", ["成效考核", "国家考核"]),
    ("03", "省考核", ["省级考核", "交叉考核", "省级交叉考核", "异地交叉考核"]),
    ("04", "第三方评估", ["第三方评估抽查", "退出评估"]),
    ("05", "督查暗访", ["督查", "暗访", "督查巡查"]),
    ("06", "审计", ["审计发现"]),
    ("07", "信访", ["信访举报", "阳光村务"]),
    ("08", "纪检监察", ["纪委监委"]),
    ("09", "民主监督", ["九三学社"]),
    ("10", "自查", ["县级自查", "部门自查", "自查自纠"]),
    ("11", "媒体曝光", ["媒体", "舆情"]),
]

TAXONOMY = [
    ("01", "责任落实", ["主体责任", "行业部门责任", "帮扶单位/责任人", "驻村工作队", "遍访"]),
    ("02", "精准识别", ["漏评", "错评", "优亲厚友/干部亲属", "动态调整不及时"]),
    ("03", "精准退出", ["错退", "程序不规范", "时间不合理", "群众不认可"]),
    ("04", "收入", ["计算不实", "收入不稳", "产业/就业帮扶不到位"]),
    ("05", "义务教育", ["失学辍学", "资助", "雨露计划"]),
    ("06", "基本医疗", ["未参保", "报销救助", "家庭医生签约"]),
    ("07", "住房安全", ["疑似危房", "危改不彻底", "鉴定遗漏", "拆除", "验收/补助迟缓"]),
    ("08", "饮水安全", ["不通水", "间歇供水", "水质", "水源"]),
    ("09", "兜底保障", ["低保/特困应保未保", "分散供养照料", "残疾人补贴"]),
    ("10", "产业扶贫", ["“一合了之”/供需错位", "带贫机制"]),
    ("11", "金融扶贫", ["“一贷了之”", "贷款投向", "贴息"]),
    ("12", "易地搬迁", ["“一搬了之”", "识别条件", "安置点进度", "超标准", "后续扶持", "旧房拆除"]),
    ("13", "基础设施与公共服务", ["路", "电", "通信", "卫生室", "文化室", "人居环境", "水毁"]),
    ("14", "资金项目", ["支出进度", "报账", "挤占挪用", "项目/资产管理"]),
    ("15", "档卡资料", ["逻辑错误", "六个不一致", "缺失", "系统不准"]),
    ("16", "政策落实与宣传", ["公示", "知晓率", "两线合一"]),
    ("17", "作风", ["形式主义", "官僚主义", "弄虚作假", "干扰评估"]),
    ("18", "防返贫监测", ["应纳未纳", "措施不精准", "消除不实"]),
    ("19", "信访舆情", ["诉求未解决", "回访"]),
    ("99", "其他", []),
]


def load_sources(CodeList) -> None:
    for sort, (code, label, aliases) in enumerate(SOURCES, start=1):
        CodeList.objects.update_or_create(
            list="rect_source",
            code=code,
            defaults={"label_zh": label, "sort": sort, "extra": {"aliases": aliases}},
        )


def load_taxonomy(Category) -> None:
    for sort, (code, name, children) in enumerate(TAXONOMY, start=1):
        parent, _ = Category.objects.update_or_create(code=code, defaults={"name": name, "sort": sort})
        for n, child in enumerate(children, start=1):
            Category.objects.update_or_create(
                code=f"{code}{n:02d}", defaults={"name": child, "parent": parent, "sort": n}
            )
