#!/usr/bin/env python3
"""Synthetic corpus of Chinese local-government news for benchmarking factcheck.

    python bench/gen_corpus.py OUTDIR [-n 10000] [--seed 1]

Writes N UTF-8 articles (about 2,000 characters each) as OUTDIR/0000/000000.txt,
OUTDIR/0000/000001.txt, ... with at most 1,000 files per subfolder.  The style
follows seeds/: totals followed by 其中 breakdowns, shares, 开工率 whose
denominator sits in an earlier sentence, 同比增长 with the previous figure,
dates, ordinals, names with numerals and thresholds, hard-wrapped at 15-40
characters per line.

Figures are facts of a small shared "world": each (district, year, topic) has
its numbers drawn from random.Random(f"{seed}|{key}"), so the same districts,
programmes and project sets recur across articles with the same figures.  A few
renderings perturb a figure (cross-article conflicts) or break a sum or a
percentage inside an article (intra-article discrepancies).

Every article i depends only on (seed, i): a corpus of 1,000 articles equals the
first 1,000 files of a corpus of 10,000 with the same seed.  Standard library only;
output is byte-identical for the same arguments.
"""
import argparse
import os
import random
import sys
import time

DISTRICTS = ["二七区", "中原区", "金水区", "管城回族区", "惠济区", "上街区", "高新区",
             "经开区", "航空港区", "郑东新区", "巩义市", "荥阳市", "新密市", "新郑市",
             "登封市", "中牟县"]
ROADS = ["嵩山路", "大学路", "京广路", "航海路", "中原路", "陇海路", "建设路", "长江路",
         "郑密路", "桐柏路", "秦岭路", "文化路", "花园路", "金水路", "商都路", "107辅道"]
BRANDS = ["华润", "中交", "中铁", "保利", "万科", "康师傅", "比亚迪", "杉杉", "联东U谷",
          "深国际", "中电科", "海王", "仟吉食品", "楷林", "正弘", "绿地", "招商蛇口",
          "中建七局", "河南建投", "中船七一三", "中航郑飞", "中核五院", "京东", "宇通",
          "中原云谷", "仲景药业", "时事通", "致欧科技", "金博大", "亚细亚"]
TOPICS = ["科技总部港", "智能制造产业园", "绿色云计算数据中心", "健康医疗产业园",
          "城市更新片区", "商业综合体", "北方区域研发总部", "智慧物流园", "文化创意产业园",
          "新能源科技产业园", "人工智能产业园", "生物医药基地", "冷链物流中心",
          "奥特莱斯广场", "数字科创城", "人才公寓", "军民融合产业园", "5G智慧园区",
          "汽车电子生产基地", "高端装备制造基地"]
SUFFIXES = ["", "", "", "一期", "二期", "三期", "（1号地块）", "（2号地块）", "A区", "B区"]
PROGRAMMES = ["“三个一批”", "“万人助万企”", "“四库”动态管理", "“双轮驱动”", "“1+1+12”工作体系",
              "“12345”优商攻坚行动", "“五大行动”", "“三区三轴”", "“一河两岸”城市更新",
              "“放管服效”改革", "“24小时不打烊”服务", "“四挂钩”考核"]
FORUMS = ["人工智能创新发展暨智能制造经贸发展论坛", "中原数字经济峰会", "产业发展暨招商引资大会",
          "“以商招商”推介会", "豫商大会分论坛", "跨境电商发展大会", "健康服务业博览会"]
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "改华翔宇璋哲子涵德利红民卫国建军晓明文静海涛志强丽娜佳怡浩然思远雨欣俊杰"
SCENES = ["骄阳热烈，晴空湛蓝，满路繁花", "万物复苏，生机盎然", "秋高气爽，硕果累累",
          "寒风凛冽，工地上却热火朝天", "塔吊林立，机器轰鸣"]
ACTS = ["坚持解放思想、实事求是", "强化“三标”引领", "坚持项目为王、以产为基",
        "全力以赴大抓招商、大干项目", "持续深化“放管服效”改革", "纵深打造“安居”“乐业”两大工程",
        "倒排工期、挂图作战", "一企一策精准服务", "强化要素保障", "压实属地责任",
        "围着项目转、盯住项目抓", "做好现代服务业立区、科技型工业强区“两篇文章”"]
GOALS = ["推动高质量发展行稳致远", "奋力建设现代化美好城区", "以招商引资强势开局奋力实现“开门红”",
         "为高质量发展提供新动能新引擎", "让企业引得进、留得住、发展好", "跑出项目推进“加速度”",
         "书写高质量发展新答卷"]
QUOTES = ["过去几年，建设进度受到一定影响，趁现在有利时机，必须快马加鞭把损失的进度赶回来",
          "原本以为手续很复杂，没想到在帮办代办工作人员的帮助下，一会儿就办好了",
          "专人对接、现场指导，两个小时就拿到营业执照，办事效率真高",
          "我们的服务是终身制的，贯穿企业发展的始终", "招商工作要请进来，更要走出去"]
HEAD_A = ["周密布局", "动力满满", "助企发展", "迎难而上", "加压驱动", "负重前行", "亲清有为",
          "精准选商", "聚焦项目", "优化环境"]
HEAD_B = ["项目工地建设如火如荼", "招商引资乘风破浪", "产业发展步伐铿锵", "以“营商”促“赢商”",
          "打造一流营商环境", "让好项目加速“落地生根”", "构建高水平现代产业体系"]
METRICS = ["固定资产投资", "地区生产总值", "社会消费品零售总额", "一般公共预算收入", "规上工业增加值"]
PERIODS = [("一季度", 0.22), ("上半年", 0.48), ("前三季度", 0.74), ("全年", 1.0)]
YEARS = [2021, 2022, 2023, 2024]
NO_START = set("，。、；：？！”）%")
DIGITS = set("0123456789.")

# ---------------------------------------------------------------- formatting helpers


def yi(c):
    """Amount held in hundredths of 亿元 as an int -> '213', '203.3' or '107.96'."""
    if c % 100 == 0:
        return str(c // 100)
    if c % 10 == 0:
        return f"{c // 100}.{c % 100 // 10}"
    return f"{c // 100}.{c % 100:02d}"


def pct(a, b, nd=1):
    return f"{100.0 * a / b:.{nd}f}"


def split(rng, total, k, lo=0.1):
    """Split int total into k positive ints that sum to total."""
    w = [lo + rng.random() for _ in range(k)]
    s = sum(w)
    parts = [max(1, int(total * x / s)) for x in w]
    parts[rng.randrange(k)] += total - sum(parts)
    if min(parts) < 1:  # tiny totals: fall back to an even split
        parts = [total // k] * k
        parts[0] += total - sum(parts)
    return parts


class World:
    """Facts that recur across articles, each a pure function of (seed, key)."""

    def __init__(self, seed):
        self.seed = seed
        self.cache = {}

    def rng(self, *key):
        return random.Random(f"{self.seed}|" + "|".join(map(str, key)))

    def get(self, make, *key):
        k = (make.__name__,) + key
        v = self.cache.get(k)
        if v is None:
            v = self.cache[k] = make(self.rng(*k), *key)
        return v

    # each maker returns a dict of figures
    @staticmethod
    def projects(r, d):
        out, seen = [], set()
        while len(out) < 40:
            name = r.choice(BRANDS) + r.choice(TOPICS) + r.choice(SUFFIXES)
            if name not in seen:
                seen.add(name)
                out.append(dict(name=name, inv=r.randrange(200, 12000), area=r.randrange(20, 900),
                                road=r.choice(ROADS), workers=r.randrange(80, 1500)))
        return out

    @staticmethod
    def key(r, d, y):
        n = r.randrange(150, 420)
        tot = n * r.randrange(400, 900)
        return dict(n=n, tot=tot, plan=tot * r.randrange(12, 20) // 100 // 100 * 100,
                    new=r.randrange(40, 110), roads=r.sample(ROADS, 3))

    @staticmethod
    def progress(r, d, y, m, day):
        frac = min(0.97, (m - 0.5) / 12 * r.uniform(0.8, 1.2))
        return dict(frac=frac, start=min(0.95, frac * r.uniform(1.0, 1.6)))

    @staticmethod
    def libs(r, d, y):
        t = r.randrange(60, 160)
        return dict(t=t, parts=split(r, t, 4))

    @staticmethod
    def axes(r, d, y):
        t = r.randrange(40, 120)
        return dict(t=t, counts=split(r, t, 3), invs=[r.randrange(8000, 50000) for _ in range(3)])

    @staticmethod
    def signing(r, d, y, half):
        return dict(n=r.randrange(5, 40), amt=r.randrange(3000, 40000), new=r.randrange(2, 20),
                    inv=r.randrange(2000, 30000), firms=r.randrange(40, 300),
                    leads=r.randrange(50, 300))

    @staticmethod
    def gov(r, d, y):
        n = r.randrange(800, 1600)
        return dict(deps=r.randrange(20, 45), n=n, nomeet=n - r.randrange(2, 40),
                    instant=n * r.randrange(40, 75) // 100, zero=r.randrange(50, 200),
                    cut=r.randrange(6000, 9500))

    @staticmethod
    def growth(r, d, metric):
        base = r.randrange(5000, 120000)  # hundredths of 亿元, full year 2020
        vals, v = {}, base
        for y in YEARS:
            v = int(v * (1 + r.uniform(-0.03, 0.12)))
            vals[y] = v
        return vals

    @staticmethod
    def budget(r, d, y):
        t = r.randrange(2000, 20000)
        parts = split(r, t * r.randrange(55, 80) // 100, 3)
        return dict(t=t, parts=parts, rest=t - sum(parts), share=r.randrange(65, 85))

    @staticmethod
    def done(r, d, y):
        return dict(n1=r.randrange(8, 30), x1=r.randrange(1500, 9000),
                    n2=r.randrange(6, 25), x2=r.randrange(2000, 12000), x3=r.randrange(1000, 8000))

    @staticmethod
    def targets(r, d, y):
        x = r.randrange(150, 600) * 100
        return dict(n=r.randrange(20, 70), x=x, main=x * r.randrange(50, 70) // 100 // 100 * 100,
                    thr=r.choice([10, 20, 50]), k=r.randrange(2, 6), new=r.randrange(150, 400) * 100)

    @staticmethod
    def firms(r, d, y):
        return dict(lab=r.randrange(3, 15), hi=r.randrange(20, 80), sme=r.randrange(30, 120),
                    spec=r.randrange(5, 20), market=r.randrange(5, 30), above=r.randrange(400, 1200),
                    units=r.randrange(40, 120), talent=r.randrange(2, 10) * 100,
                    talent2=r.randrange(3, 12) * 10, flats=r.randrange(5, 40) * 100,
                    fairs=r.randrange(4, 15), invited=r.randrange(3, 12) * 100,
                    jobs=r.randrange(10, 60) * 1000)


# ---------------------------------------------------------------- article blocks


class Article:
    def __init__(self, world, i):
        self.w = world
        self.r = r = random.Random(world.seed * 1_000_003 + i)
        # a few districts dominate, as a local paper's beat would
        self.d = DISTRICTS[min(int(r.expovariate(0.35)), len(DISTRICTS) - 1)]
        self.y = r.choice(YEARS)
        self.projs = world.get(World.projects, self.d)

    def sp(self):
        return " " if self.r.random() < 0.2 else ""

    def bad(self, p=0.02):
        return self.r.random() < p

    def alt(self, v):
        """Occasionally report a different figure for the same fact."""
        return v * self.r.choice((90, 95, 105, 110)) // 100 if self.bad(0.015) else v

    def pnames(self, k):
        return "、".join(p["name"] for p in self.r.sample(self.projs, k))

    def date(self, lo=1, hi=12):
        return self.r.randrange(lo, hi + 1), self.r.randrange(1, 29)

    # --- numeric blocks: each returns a list of paragraphs
    def b_key(self):
        f, s, d = self.w.get(World.key, self.d, self.y), self.sp, self.d
        m, day = self.date(3, 11)
        pr = self.w.get(World.progress, self.d, self.y, m, day)
        done = int(f["plan"] * pr["frac"]) // 10 * 10
        started = max(1, int(f["new"] * pr["start"]))
        p_done, p_start = pct(done, f["plan"]), pct(started, f["new"])
        if self.bad():
            p_done = pct(done * 11 // 10, f["plan"])
        if self.bad():
            p_start = pct(started + 3, f["new"])
        a = (f"一份数据说明了{self.y}年{d}项目建设的欣欣向荣：全区{s()}1000万元以上重点项目{s()}"
             f"{f['n']}个，涉及总投资{s()}{yi(self.alt(f['tot']))}亿元，年度计划完成投资{yi(f['plan'])}亿元，"
             f"计划新开工项目{f['new']}个以上。")
        b = (f"截至{m}月{day}日，重点项目建设已累计完成投资{yi(done)}亿元，占年度计划的{s()}{p_done}%；"
             f"{self.pnames(2)}等{s()}{started}个项目已顺利开工，开工率{s()}{p_start}%。")
        return [a, b] if self.r.random() < 0.5 else [a + b]

    def b_libs(self):
        f = self.w.get(World.libs, self.d, self.y)
        p = list(f["parts"])
        if self.bad():
            p[self.r.randrange(4)] += self.r.choice((-3, -1, 1, 2))
        s = self.sp
        return [f"据不完全统计，经动态转化后，目前{self.d}已先后谋划{f['t']}个重大产业项目，其中"
                f"“谋划库”项目{s()}{p[0]}个、“招引库”项目{s()}{p[1]}个、“签约库”项目{s()}{p[2]}个、"
                f"“落地库”项目{p[3]}个。"]

    def b_axes(self):
        k, f = self.w.get(World.key, self.d, self.y), self.w.get(World.axes, self.d, self.y)
        roads, s = k["roads"], self.sp
        parts = "；".join(
            f"沿{rd}项目{s()}{c}个，总投资{s()}{yi(x)}亿元，包含{self.pnames(2)}等"
            for rd, c, x in zip(roads, f["counts"], f["invs"]))
        t = f["t"] + (self.r.choice((-2, 1, 3)) if self.bad() else 0)
        first = (f"“目前，{'、'.join(roads)}发展轴初步谋划布局重大产业项目{t}个。其中，{parts}。”"
                 f"{self.d}发改委负责人说。")
        out = [first]
        if self.r.random() < 0.4:
            out.append(f"围绕“三轴”谋划推进总投资{yi(self.alt(sum(f['invs'])))}亿元的产业项目{f['t']}个，"
                       f"加快构建“北研发—南转化”的重点项目产业带。")
        return out

    def b_signing(self):
        half = self.r.choice(("上半年", "下半年"))
        f, s = self.w.get(World.signing, self.d, self.y, half), self.sp
        m, day = self.date()
        return [f"说起招商情况，{self.d}商务局负责人如数家珍：“截至目前，已上报新签约项目{s()}{f['n']}个，"
                f"签约金额{s()}{yi(self.alt(f['amt']))}亿元；新开工项目{s()}{f['new']}个，投资金额{s()}"
                f"{yi(f['inv'])}亿元；会见企业{s()}{f['firms']}家；收集项目线索{f['leads']}条。其中，洽谈成熟"
                f"拟签约{self.pnames(2)}等项目{s()}{self.r.randrange(5, 15)}余个，在谈项目{self.r.randrange(20, 60)}余个。”",
                f"{m}月{day}日，{self.d}“以商招商”推介会暨项目集中签约仪式上，签约重点项目"
                f"{self.r.randrange(8, 30)}个，总签约额超{self.r.randrange(20, 90)}亿元。"]

    def b_gov(self):
        f, s = self.w.get(World.gov, self.d, self.y), self.sp
        nomeet = f["nomeet"] + (self.r.choice((-5, 4)) if self.bad() else 0)
        return [f"“{self.d}以简化、便民、合理、清晰为原则，对全区{s()}{f['deps']}个部门{f['n']}个事项进行标准化"
                f"梳理。”{self.d}政务服务中心负责人说，办理时限压缩{s()}{yi(f['cut'])}%；{f['n']}个事项实现"
                f"一网通办和最多跑一次，占比{s()}100%；{f['nomeet']}个事项实现不见面审批，占比"
                f"{s()}{pct(nomeet, f['n'], 2)}%；{f['instant']}个事项即来即办，占比{pct(f['instant'], f['n'], 0)}%；"
                f"在全市率先实现{f['zero']}个事项0材料审批。"]

    def b_growth(self):
        metric = self.r.choice(METRICS)
        pname, share = self.r.choice(PERIODS)
        vals = self.w.get(World.growth, self.d, metric)
        y = self.y if self.y > YEARS[0] else YEARS[1]
        cur, prev = int(vals[y] * share), int(vals[y - 1] * share)
        g = 100.0 * (cur - prev) / prev + (self.r.choice((-1.5, 2.0)) if self.bad() else 0)
        verb = f"同比增长{g:.1f}%" if g >= 0 else f"同比下降{-g:.1f}%"
        cur_s = yi(self.alt(cur))
        if self.r.random() < 0.5:
            return [f"{y - 1}年{pname}，全区{metric}为{yi(prev)}亿元。今年{pname}，{self.d}完成{metric}"
                    f"{cur_s}亿元，{verb}，增速居全市前列。"]
        return [f"{y}年{pname}，{self.d}完成{metric}{self.sp()}{cur_s}亿元，{verb}。"]

    def b_budget(self):
        f = self.w.get(World.budget, self.d, self.y)
        a, b, c = f["parts"]
        txt = (f"{self.y}年，全区一般公共预算支出中民生支出{yi(f['t'])}亿元，占比{f['share']}%，其中教育支出"
               f"{yi(a)}亿元、卫生健康支出{yi(b)}亿元、社会保障和就业支出{yi(c)}亿元")
        if self.r.random() < 0.5:
            rest = f["rest"] + (self.r.choice((-50, 120)) if self.bad() else 0)
            txt += f"、其他民生支出{yi(rest)}亿元"
        return [txt + "。"]

    def b_done(self):
        f = self.w.get(World.done, self.d, self.y)
        return [f"成效更实。一批产业项目陆续签约落地和加快建设，{self.pnames(2)}等{f['n1']}个总投资"
                f"{yi(self.alt(f['x1']))}亿元的产业项目竣工投产；{self.pnames(2)}等{f['n2']}个总投资{yi(f['x2'])}亿元的"
                f"产业项目顺利开工；总投资{yi(f['x3'])}亿元的“一河两岸”城市更新粮二库片区项目全面启动。"]

    def b_targets(self):
        f, s = self.w.get(World.targets, self.d, self.y), self.sp
        return [f"{self.d}定下{self.y}“小目标”——党政主要领导带队外出考察走访企业{s()}{self.r.randrange(6, 25)}次，"
                f"小分队外出招商不低于{s()}{self.r.randrange(20, 60)}次，力争新签约项目{f['n']}个以上，签约额达到"
                f"{yi(f['x'])}亿元以上，其中主导产业项目签约额达到{yi(f['main'])}亿元以上，新签约项目中"
                f"{f['thr']}亿元以上高质量项目不低于{f['k']}个；新开工项目投资额达到{yi(f['new'])}亿元以上。"]

    def b_firms(self):
        f, s = self.w.get(World.firms, self.d, self.y), self.sp
        return [f"力争新增省级研发平台{f['lab']}家、高新技术企业{s()}{f['hi']}家、科技型中小企业{f['sme']}家、"
                f"专精特新企业{s()}{f['spec']}家。上半年新增市场主体{f['market'] / 10:.1f}万户，全区"
                f"{s()}{f['above']}家“四上”企业、{f['units']}个项目单位分包服务全覆盖。",
                f"企业遇到用工难，{self.d}就举办“春风行动”线上线下招聘活动{f['fairs']}次，累计邀请"
                f"{f['invited']}余家企业，发布就业岗位{f['jobs']}余个；全年招引各类高端人才{s()}{f['talent']}{s()}人"
                f"以上，认定高层次人才{f['talent2']}人以上；计划配租人才公寓{s()}{f['flats']}套。"]

    def b_project(self):
        p, s = self.r.choice(self.projs), self.sp
        inv = self.alt(p["inv"])
        m = self.r.randrange(5, 13)
        return [f"在{self.d}{p['road']}，占地面积约{p['area']}亩、总投资{yi(inv)}亿元的{p['name']}项目现场，"
                f"车辆、工人一片忙碌。“{self.r.choice(QUOTES)}。现在我们项目工地上有{self.r.randrange(2, 6)}支施工队"
                f"共计{p['workers']}余人同时施工，预计{m}月底将实现封顶。”项目负责人{self.name()}信心满满地介绍道。",
                f"项目全面投产后，预计年产值{yi(p['inv'] * 4 // 1000 * 100)}亿元，年税收{yi(p['inv'] // 20)}亿元，可带动近"
                f"{self.r.randrange(5, 20) * 100}人就业。"]

    def b_event(self):
        m, day = self.date()
        o = self.r.randrange(10)
        ordinal = ORDINALS[o] if self.r.random() < 0.7 else str(o + 1)
        return [f"{m}月{day}日，{self.y}第{ordinal}届{self.r.choice(FORUMS)}在{self.d}举办；{m}月{min(28, day + 6)}日，"
                f"{self.d}政府与{self.r.choice(BRANDS)}集团举行战略合作签约仪式。未来{self.r.randrange(3, 6)}年，双方将"
                f"在城市更新、片区综合开发等领域开展合作，合作规模将不低于{self.r.randrange(5, 60) * 10}亿元。"]

    # --- prose
    def name(self):
        r = self.r
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randrange(1, 3)))

    def prose(self):
        r, d = self.r, self.d
        k = r.randrange(5)
        if k == 0:
            return f"{r.randrange(1, 13)}月的{d}，{r.choice(SCENES)}。今年以来，{d}{r.choice(ACTS)}、{r.choice(ACTS)}，{r.choice(GOALS)}。"
        if k == 1:
            return (f"{d}坚持{r.choice(PROGRAMMES)}导向，{r.choice(ACTS)}，{r.choice(ACTS)}，以{r.choice(PROGRAMMES)}"
                    f"为抓手，{r.choice(GOALS)}。")
        if k == 2:
            return f"“{r.choice(QUOTES)}。”{r.choice(BRANDS)}相关负责人表示，{d}的服务让人获得了意外之喜。"
        if k == 3:
            return (f"{d}将继续{r.choice(ACTS)}，统筹{r.choice(PROGRAMMES)}和{r.choice(PROGRAMMES)}，"
                    f"{r.choice(GOALS)}！")
        return (f"按照项目推进“有目标、有机制、有手段”的要求，印发《{d}{self.y}年重点项目建设"
                f"{PROGRAMMES[0]}活动实施方案》等文件，{r.choice(ACTS)}，{r.choice(GOALS)}。")

    def heading(self):
        return f"{self.r.choice(HEAD_A)} {self.r.choice(HEAD_B)}"

    BLOCKS = ("b_key", "b_libs", "b_axes", "b_signing", "b_gov", "b_growth", "b_budget",
              "b_done", "b_targets", "b_firms", "b_project", "b_event")

    def paragraphs(self):
        r = self.r
        target = int(r.triangular(1000, 2800, 1600))
        pars = [(True, f"{self.heading()}——{self.d}{r.choice(GOALS)}"), (False, self.prose())]
        size = sum(len(p) for _, p in pars)
        blocks = list(self.BLOCKS)
        r.shuffle(blocks)
        while size < target:
            # like the seeds: most of an article is narrative, with a few figure-dense paragraphs
            if blocks and r.random() < BLOCK_SHARE:
                new = getattr(self, blocks.pop())()
            else:
                new = [self.prose() + self.prose() + (self.prose() if r.random() < 0.5 else "")]
            if r.random() < 0.12:
                pars.append((True, self.heading()))
            for p in new:
                pars.append((False, p))
                size += len(p)
        pars.append((True, f"记者 {self.name()}" + (f"\n通讯员 {self.name()} {self.name()}" if r.random() < 0.4 else "")))
        return pars

    def text(self):
        r = self.r
        pars = self.paragraphs()
        wrapped = r.random() < 0.8
        sep = "\n\n" if not wrapped or r.random() < 0.7 else "\n"
        out = []
        if wrapped:
            w = r.randrange(15, 41)
            for is_head, p in pars:
                if is_head:
                    out.append(p)
                    continue
                lines, i, n = [], 0, len(p)
                while i < n:
                    j = i + max(15, min(40, w + r.choice((-1, 0, 0, 0, 1))))
                    # keep numbers whole (mostly) and punctuation off the line start, like the seeds
                    while j < n and (p[j] in NO_START or (p[j] in DIGITS and p[j - 1] in DIGITS
                                                          and r.random() < 0.9)):
                        j += 1
                    lines.append(p[i:j])
                    i = j
                if len(lines) > 2 and r.random() < 0.08:  # blank line inside a sentence
                    j = r.randrange(1, len(lines))
                    lines[j] = "\n" + lines[j]
                out.append("\n".join(lines))
        else:
            md = r.random() < 0.2
            out = [("## " + p if md and h else p) for h, p in pars]
        return ("\n" if r.random() < 0.5 else "") + sep.join(out) + "\n"


BLOCK_SHARE = 0.2  # chance that the next paragraph is a figure block rather than narrative


def generate(outdir, n=10000, seed=1):
    """Write n articles under outdir; return (files, chars)."""
    world = World(seed)
    chars = 0
    for i in range(n):
        sub = os.path.join(outdir, f"{i // 1000:04d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        t = Article(world, i).text()
        chars += len(t)
        with open(os.path.join(sub, f"{i:06d}.txt"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(t)
    return n, chars


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", type=int, default=10000, help="number of articles (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    files, chars = generate(a.outdir, a.n, a.seed)
    dt = time.perf_counter() - t0
    print(f"wrote {files} articles, {chars:,} chars ({chars / max(files, 1):.0f}/article) "
          f"to {a.outdir} in {dt:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
