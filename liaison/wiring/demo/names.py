"""Plausible Chinese names, drawn from a seeded generator so every run is the same."""

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰玉萍红建文辉力波宁志国春梅海燕雪琳晶"
    "斌鹏飞宇浩然思雨欣怡子涵俊杰嘉诚晓东小红建华卫东新民立群湘湘楚湘军德胜永福秋菊冬梅"
)
PLACE_FIRST = "金竹枫桃杨柳青石白沙清泉安福高龙凤新长永和丰乐东南西北荷花松柏梨桥"
PLACE_SECOND = "山塘湾冲坪岭田坝桥港湖园井湘溪峰林铺"


def person(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if name not in used:
            used.add(name)
            return name


def mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "158", "173", "186", "199")) + f"{rng.randrange(10**8):08d}"
