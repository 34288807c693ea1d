"""Names for the demo county: people, townships, villages, departments (data, no logic)."""

# The most frequent Chinese surnames with their share of the population (per mille).
SURNAMES = {
    "王": 72, "李": 72, "张": 68, "刘": 54, "陈": 45, "杨": 31, "黄": 22, "赵": 22, "吴": 20,
    "周": 19, "徐": 14, "孙": 14, "马": 13, "朱": 13, "胡": 12, "郭": 11, "何": 11, "高": 10,
    "林": 10, "罗": 9, "郑": 8, "梁": 8, "谢": 7, "宋": 6, "唐": 6, "许": 6, "韩": 6, "冯": 6,
    "邓": 5, "曹": 5, "彭": 5, "曾": 5, "肖": 5, "田": 5, "董": 4, "袁": 4, "潘": 4, "于": 4,
    "蒋": 4, "蔡": 4, "余": 4, "杜": 4, "叶": 4, "程": 4, "苏": 3, "魏": 3, "吕": 3, "丁": 3,
    "任": 3, "沈": 3, "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 2, "谭": 2, "陆": 2, "汪": 2,
    "范": 2, "金": 2, "石": 2, "廖": 2, "贾": 2, "夏": 2, "付": 2, "方": 2, "邹": 2, "熊": 2,
    "秦": 1, "邱": 1, "江": 1, "尹": 1, "薛": 1, "段": 1, "雷": 1, "侯": 1, "龙": 1, "史": 1,
    "陶": 1, "贺": 1, "顾": 1, "毛": 1, "龚": 1, "邵": 1, "詹": 1, "易": 1, "操": 1, "匡": 1,
}  # fmt: skip

# Given names by birth cohort (before 1965, 1965-1989, 1990 on) and sex ("1" male, "2" female).
GIVEN_NAMES = {
    ("old", "1"): "建国 国强 建华 志强 国庆 德明 春生 永福 长顺 金山 福生 有才 立新 振华 学文 保国 "
    "广田 明德 正清 家富 庆丰 玉林 宝山 树林 文华 德胜 世忠 光明 大海 先进",
    ("old", "2"): "秀兰 桂英 玉兰 秀英 凤英 桂兰 秀珍 玉梅 兰英 淑珍 翠花 春梅 素芳 金花 秀云 玉珍 "
    "桂芳 凤兰 菊花 月娥 春兰 冬梅 荷花 巧云",
    ("mid", "1"): "军 伟 勇 磊 涛 斌 刚 海波 建军 志刚 红军 小平 明亮 春雷 新民 晓东 立军 俊杰 "
    "永强 卫东 国栋 文斌 海涛 金龙 德华 家兴 少华 世杰",
    ("mid", "2"): "丽 娟 艳 芳 敏 静 红梅 丽娟 晓燕 春燕 海燕 雪梅 小红 丽华 美玲 秀梅 玉霞 慧 "
    "霞 琴 红霞 小芳 玉洁 晓丽",
    ("young", "1"): "浩然 宇轩 子豪 俊熙 博文 一鸣 子轩 皓宇 志豪 家乐 思远 天佑 明轩 鹏 浩 杰 "
    "宇航 俊宇 泽宇 嘉豪 文博 梓豪 睿 航",
    ("young", "2"): "欣怡 梓涵 诗涵 雨欣 思琪 佳怡 子涵 梦瑶 雨涵 可馨 婷 雪 佳琪 语嫣 晨曦 心怡 "
    "梓萱 一诺 紫萱 若曦 雨桐 欣妍",
}
GIVEN_NAMES = {key: value.split() for key, value in GIVEN_NAMES.items()}

COUNTY = ("411529", "青山县")

# 17 townships; 镇 take statistical codes 1xx, 乡 2xx. The first two hold the demo scopes
# and the seed county's largest village (沙窝镇沙坪村, 227 households).
TOWNSHIPS = (
    "青石镇 沙窝镇 龙潭镇 石门镇 桃园镇 杨柳河镇 河口镇 长岭镇 黄土岗镇 "
    "白云乡 柳林乡 大坪乡 松山乡 梅岭乡 双河乡 马鞍山乡 竹园乡"
).split()

# Village names are a prefix plus a suffix plus 村.
VILLAGE_PREFIXES = (
    "李家 王家 张家 何家 陈家 周家 罗家 胡家 杨家 吴家 石 桃 柳 杨 龙 凤 青 白 黄 红 松 竹 梅 双 "
    "大 小 新 高 长 安 和 丰 兴 金 银 马 牛 鹿 花 草 田 泉 沙 林 彭 熊 余 詹 方 郭"
).split()
VILLAGE_SUFFIXES = "湾 冲 岭 河 桥 坪 店 畈 岗 庄 山 林 塘 园 堰 沟 寨 坳 铺 湖 垸 楼 洼".split()

# (name, kind): DOMAIN.md §1.1's ranked departments; kind is code list department_kind.
DEPARTMENTS = (
    ("住建局", "sector"),
    ("水利局", "sector"),
    ("教育局", "sector"),
    ("卫健委", "sector"),
    ("医保局", "sector"),
    ("民政局", "sector"),
    ("人社局", "sector"),
    ("残联", "sector"),
    ("农业农村局", "sector"),
    ("财政局", "sector"),
    ("交通局", "sector"),
    ("文广局", "sector"),
    ("乡村振兴局", "sector"),
    ("发改委", "sector"),
    ("林业局", "sector"),
    ("纪委监委", "helper_unit"),
    ("组织部", "helper_unit"),
    ("县人民法院", "helper_unit"),
)

GROUP_NAMES = "一组 二组 三组 四组 五组 六组 七组 八组 九组 十组".split()
