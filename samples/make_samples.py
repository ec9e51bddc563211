"""Generate the demo data in samples/ (a fictional video-subscription app, 悦看视频).

Run from the repository root:

    python samples/make_samples.py            # rewrites the files in samples/
    python samples/make_samples.py -o /tmp/x  # writes them elsewhere

The output is fully determined by --seed (default 20261122). Churn is drawn
from a logistic model with known coefficients, so the demo has a truth to
recover: billing (扣费与续费), bugs (故障与性能) and service (客服服务) drive
churn; marketing (营销骚扰) is the most frequent complaint but has no effect;
price complaints come mostly from the premium plan, whose users churn less.
Some churned users post after they left (switching to a competitor, complaining
about marketing texts): those posts must not count as reasons.

Sentence material is in samples/templates.toml.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import tomllib
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
START = datetime(2026, 1, 1)
END = datetime(2026, 10, 31)

# theme -> (share of users exposed, true log odds ratio of churn)
THEMES: dict[str, tuple[float, float]] = {
    "marketing": (0.30, 0.0),
    "price": (0.16, 0.3),
    "billing": (0.12, 1.5),
    "bugs": (0.15, 1.2),
    "service": (0.10, 0.9),
    "content": (0.15, 0.6),
    "need_gone": (0.06, 1.0),
    "account_security": (0.04, 0.5),
}
# theme -> the ratings it costs: on the survey's 0-10 recommendation question and on the
# tickets' 1-5 satisfaction (the truth behind the demo's score drivers)
SCORE_EFFECTS: dict[str, tuple[float, float]] = {
    "marketing": (-0.5, -0.2),
    "price": (-1.0, -0.4),
    "billing": (-2.5, -1.0),
    "bugs": (-3.0, -1.2),
    "service": (-2.0, -1.0),
    "content": (-1.0, -0.4),
    "need_gone": (-1.5, -0.5),
    "account_security": (-1.0, -0.5),
}
NPS_BASE, SATISFACTION_BASE = 8.5, 4.4
INTERCEPT = -1.7
TENURE_SLOPE = -0.04  # per month, centred at 24
PREMIUM_EFFECT = -0.4
PLANS = ("基础会员", "标准会员", "高级会员")


@dataclass
class User:
    user_id: str
    tenure: int
    plan: str
    spend: float
    themes: list[str]
    churned: bool = False
    churn_date: datetime | None = None
    docs: list[tuple[str, str, datetime]] = field(default_factory=list)  # (source, text, time)


def _pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _time_between(rng: np.random.Generator, start: datetime, end: datetime) -> datetime:
    span = max(int((end - start).total_seconds()), 3600)
    return start + timedelta(seconds=int(rng.integers(span)))


def make_users(rng: np.random.Generator, n_users: int) -> list[User]:
    users = []
    for i in range(n_users):
        plan = PLANS[int(rng.choice(3, p=[0.5, 0.33, 0.17]))]
        tenure = int(rng.integers(1, 49))
        spend = round(
            {"基础会员": 15.0, "标准会员": 25.0, "高级会员": 40.0}[plan] + float(rng.normal(0, 3)),
            1,
        )
        themes = []
        for theme, (share, _) in THEMES.items():
            if theme == "price" and plan == "高级会员":
                share = 0.45  # premium users complain about price but stay
            if rng.random() < share:
                themes.append(theme)
        user = User(f"U{10001 + i}", tenure, plan, spend, themes)
        logit = (
            INTERCEPT
            + TENURE_SLOPE * (tenure - 24)
            + (PREMIUM_EFFECT if plan == "高级会员" else 0.0)
        )
        logit += sum(THEMES[t][1] for t in themes)
        user.churned = bool(rng.random() < 1 / (1 + np.exp(-logit)))
        if user.churned:
            user.churn_date = _time_between(rng, datetime(2026, 3, 1), END)
        users.append(user)
    return users


def compose(
    rng: np.random.Generator, text: dict, themes: list[str], positive_of: str | None
) -> str:
    parts = [_pick(rng, text["negative"][t]["lines"]) for t in themes]
    if positive_of:
        parts.append(_pick(rng, text["positive"][positive_of]["lines"]))
    if not parts:
        parts.append(_pick(rng, text["general"]["positive" if rng.random() < 0.6 else "neutral"]))
    order = rng.permutation(len(parts))
    body = "，".join(parts[i] for i in order)
    opener = _pick(rng, text["openers"]["lines"])
    closer = _pick(rng, text["closers"]["lines"]) if themes else ""
    return f"{opener}{body}。{closer}".replace("。。", "。")


def write_documents(rng: np.random.Generator, users: list[User], text: dict) -> None:
    sources = ("survey", "service", "social")
    for user in users:
        last = (user.churn_date - timedelta(days=1)) if user.churn_date else END
        if not user.themes and rng.random() < 0.25:
            continue  # silent user
        n_docs = 1 + int(rng.integers(0, 3))
        groups: list[list[str]] = [[] for _ in range(n_docs)]
        for theme in user.themes:
            groups[int(rng.integers(n_docs))].append(theme)
        for group in groups:
            positive = None
            if rng.random() < 0.2:
                options = [t for t in text["positive"] if t not in group]
                positive = _pick(rng, options) if options else None
            source = _pick(rng, list(sources))
            user.docs.append(
                (source, compose(rng, text, group, positive), _time_between(rng, START, last))
            )
        if user.churned and user.churn_date and rng.random() < 0.35:
            after = _pick(rng, text["negative"]["competitor"]["lines"])
            if rng.random() < 0.6:
                after += "，" + _pick(rng, text["negative"]["marketing"]["lines"])
            when = _time_between(
                rng, user.churn_date + timedelta(days=1), user.churn_date + timedelta(days=20)
            )
            user.docs.append(("social", after + "。", when))


def _phone(rng: np.random.Generator) -> str:
    return (
        "1"
        + str(int(rng.choice([3, 5, 7, 8, 9])))
        + "".join(str(int(d)) for d in rng.integers(0, 10, 9))
    )


def survey_rows(rng: np.random.Generator, users: list[User], text: dict) -> list[list[object]]:
    rows: list[list[object]] = []
    devices = ["手机", "电视", "平板", "电脑"]
    for user in users:
        for source, body, when in user.docs:
            if source != "survey":
                continue
            mean = NPS_BASE + sum(SCORE_EFFECTS[t][0] for t in user.themes)
            nps = int(np.clip(round(rng.normal(mean, 1.5)), 0, 10))
            picked = sorted(
                set(_pick(rng, devices) for _ in range(1 + int(rng.integers(3)))), key=devices.index
            )
            rows.append(
                [
                    0,
                    when.strftime("%Y/%m/%d %H:%M:%S"),
                    f"{int(rng.integers(40, 400))}秒",
                    _pick(rng, ["手机提交", "微信", "链接"]),
                    None,
                    f"113.{int(rng.integers(1, 255))}.{int(rng.integers(1, 255))}.{int(rng.integers(1, 255))}(广东-深圳)",
                    user.user_id,
                    _pick(rng, ["不到3个月", "3-12个月", "1-2年", "2年以上"]),
                    nps,
                    body,
                    "┋".join(picked),
                ]
            )
    for filler in text["general"]["non_answers"][:5]:
        rows.append(
            [
                0,
                "2026/06/01 10:00:00",
                "35秒",
                "微信",
                None,
                "(未知)",
                _pick(rng, [u.user_id for u in users]),
                "1-2年",
                7,
                filler,
                "手机",
            ]
        )
    rows.append(
        [0, "2026/06/02 11:00:00", "20秒", "微信", None, "(未知)", None, "1-2年", 5, None, "电视"]
    )
    order = rng.permutation(len(rows))
    ordered = [rows[i] for i in order]
    for number, row in enumerate(ordered, start=1):
        row[0] = number
    return ordered


def write_survey(path: Path, rows: list[list[object]]) -> None:
    header = [
        "序号",
        "提交答卷时间",
        "所用时间",
        "来源",
        "来源详情",
        "来自IP",
        "1、用户ID",
        "2、您使用悦看视频多久了？",
        "3、您向朋友推荐悦看视频的可能性有多大？(0-10分)",
        "4、您考虑停用或已经停用悦看视频的主要原因是什么？(填空题 *必答)",
        "5、您平时在哪些设备上观看？",
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.properties.creator = "feedback-miner samples"
    book.properties.created = book.properties.modified = datetime(2026, 11, 1)
    book.save(path)


def ticket_rows(rng: np.random.Generator, users: list[User], text: dict) -> list[list[object]]:
    rows: list[list[object]] = []
    category = {
        "billing": "扣费问题",
        "bugs": "播放问题",
        "account_security": "账号问题",
        "content": "内容咨询",
    }
    docs = [(u, body, when) for u in users for source, body, when in u.docs if source == "service"]
    docs.sort(key=lambda d: d[2])
    for number, (user, body, when) in enumerate(docs, start=1):
        themes = [t for t in user.themes if t in category]
        if rng.random() < 0.08:
            pii = _pick(rng, text["ticket"]["pii"])
            body += pii.format(
                phone=_phone(rng), email=f"user{int(rng.integers(100, 999))}@example.com"
            )
        mean = SATISFACTION_BASE + sum(SCORE_EFFECTS[t][1] for t in user.themes)
        satisfaction = int(np.clip(round(rng.normal(mean, 0.8)), 1, 5))
        rows.append(
            [
                f"T2026{number:05d}",
                user.user_id,
                when.strftime("%Y-%m-%d %H:%M"),
                _pick(rng, text["ticket"]["channels"]),
                category[themes[0]] if themes else "其他",
                body,
                _pick(rng, text["ticket"]["statuses"]),
                satisfaction,
            ]
        )
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def social_rows(rng: np.random.Generator, users: list[User], text: dict) -> list[list[object]]:
    docs = [(u, body, when) for u in users for source, body, when in u.docs if source == "social"]
    docs.sort(key=lambda d: d[2])
    rows: list[list[object]] = []
    for number, (user, body, when) in enumerate(docs, start=1):
        linked = rng.random() < 0.85  # the rest posted from accounts not linked to a user id
        post = (
            _pick(rng, text["social"]["prefixes"]) + body + _pick(rng, text["social"]["suffixes"])
        )
        rows.append(
            [
                f"W{4900000 + number * 7}",
                user.user_id if linked else "",
                when.strftime("%Y-%m-%d %H:%M:%S"),
                post,
                int(rng.poisson(3)),
                int(rng.poisson(5)),
                int(rng.poisson(20)),
            ]
        )
    return rows


def label_rows(users: list[User]) -> list[list[object]]:
    return [
        [
            u.user_id,
            int(u.churned),
            u.churn_date.strftime("%Y-%m-%d") if u.churn_date else "",
            u.tenure,
            u.plan,
            u.spend,
        ]
        for u in users
    ]


def order_rows(rng: np.random.Generator, users: list[User]) -> list[list[object]]:
    """The app's order log: membership renewals and pay-per-view, from each user's first
    month (tenure before the end, not before the log starts) until their churn date."""
    rows: list[list[object]] = []
    for user in users:
        first = max(START, END - timedelta(days=30 * user.tenure))
        last = user.churn_date or END
        gap = float(rng.uniform(4, 14))  # days between orders, the user's own habit
        moment = first + timedelta(days=float(rng.uniform(0, gap)))
        while moment < last:
            renewal = rng.random() < 0.6
            amount = user.spend if renewal else float(rng.choice([3.0, 5.0, 6.0, 9.9]))
            rows.append([user.user_id, moment.strftime("%Y-%m-%d %H:%M"), round(amount, 1)])
            moment += timedelta(days=float(rng.exponential(gap)))
    rows.sort(key=lambda row: (row[1], row[0]))
    return [[f"O{100001 + i}", *row] for i, row in enumerate(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=HERE, help="folder to write to")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--users", type=int, default=800)
    args = parser.parse_args()
    text = tomllib.loads((HERE / "templates.toml").read_text(encoding="utf-8"))
    rng = np.random.default_rng(args.seed)
    users = make_users(rng, args.users)
    write_documents(rng, users, text)
    args.out.mkdir(parents=True, exist_ok=True)
    write_survey(args.out / "survey_wjx.xlsx", survey_rows(rng, users, text))
    write_csv(
        args.out / "service_tickets.csv",
        ["工单编号", "用户ID", "创建时间", "渠道", "问题分类", "问题描述", "处理状态", "满意度"],
        ticket_rows(rng, users, text),
        "gbk",
    )
    write_csv(
        args.out / "social_posts.csv",
        ["微博ID", "用户ID", "发布时间", "微博内容", "转发数", "评论数", "点赞数"],
        social_rows(rng, users, text),
        "utf-8-sig",
    )
    write_csv(
        args.out / "churn_labels.csv",
        ["user_id", "churned", "churn_date", "tenure_months", "plan", "monthly_spend"],
        label_rows(users),
        "utf-8",
    )
    # its own generator, so adding the log left the other files as they were
    write_csv(
        args.out / "orders.csv",
        ["订单号", "用户ID", "下单时间", "订单金额"],
        order_rows(np.random.default_rng(args.seed + 1), users),
        "utf-8",
    )
    churned = sum(u.churned for u in users)
    print(
        f"{len(users)} users, {churned} churned, {sum(len(u.docs) for u in users)} texts -> {args.out}"
    )


if __name__ == "__main__":
    main()
