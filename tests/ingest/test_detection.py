"""The first file a user tries: question types, sources and label files recognised from
their content, each with the line or message the user sees.

The fixtures are small tables written here, in the shapes 问卷星, Weibo exports and
churn tables have: a ranking joined with →, a multi-select joined with ┋, a 0-10
question answered 3分, a matrix of 4分, a 填空题, an "other" box with 〖…〗.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.cli import main
from feedback_miner.ingest.questions import choice_kind, looks_social, score_numbers

N = 30
OPTIONS = ["价格", "内容", "广告", "客服", "画质", "投屏"]
REASONS = [
    "价格太贵了，续费还偷偷涨价",
    "广告太多，开屏广告看得心烦",
    "经常卡顿闪退，投屏也连不上",
    "片库内容少，想看的剧都下架了",
    "客服回复慢，问题一直没解决",
    "会员权益缩水，超前点播还要另付费",
]
WJX_META = {
    "序号": list(range(1, N + 1)),
    "提交答卷时间": [f"2026/01/{i % 28 + 1:02d} 10:00:00" for i in range(N)],
    "所用时间": ["120秒"] * N,
    "来源": ["手机提交"] * N,
    "来源详情": ["直接访问"] * N,
    "来自IP": ["1.1.1.1(北京)"] * N,
    "1、用户ID": [f"U{i:03d}" for i in range(N)],
}


def _ranking(i: int) -> str:
    return "→".join(OPTIONS[i % 6 :] + OPTIONS[: i % 6])[:14]


def _write(tmp_path: Path, name: str, columns: dict) -> Path:
    path = tmp_path / name
    pd.DataFrame(columns).to_csv(path, index=False, encoding="utf-8")
    return path


def _ingest(path: Path, capsys, *options: str) -> tuple[int, str, pd.DataFrame | None]:
    out = path.with_suffix(".records.csv")
    code = main(["ingest", str(path), "-o", str(out), *options])
    err = capsys.readouterr().err
    records = pd.read_csv(out) if code == 0 else None
    return code, err.strip(), records


def test_ranking_is_not_the_text_and_the_fill_in_question_is(tmp_path: Path, capsys) -> None:
    path = _write(
        tmp_path,
        "wjx.csv",
        {
            **WJX_META,
            "2、请将以下因素按重要性排序（前五位）": [_ranking(i) for i in range(N)],
            "3、您考虑停用的主要原因是什么？(填空题)": [
                REASONS[i % 6] + ("" if i % 2 else "，很失望") for i in range(N)
            ],
        },
    )
    code, err, records = _ingest(path, capsys)
    assert code == 0
    assert err == (
        f"{path}: csv, wjx, utf-8, survey; 30 rows -> 30 records, 0 rejected; columns: "
        "text=3、您考虑停用的主要原因是什么？(填空题) (content); user_id=1、用户ID (name); "
        "time=提交答卷时间 (name); record_id=序号 (name)"
    )
    assert records["text"].iloc[0] == REASONS[0] + "，很失望"


def test_a_fill_in_box_is_preferred_to_choice_answers(tmp_path: Path, capsys) -> None:
    # an "other, please specify" box: 问卷星 writes 其他〖what they typed〗 into the choice
    places = ("柜台", "地铁站", "商场", "公交站", "电梯里", "机场")
    where = [f"其他〖在{place}看到的海报，觉得挺划算〗" for place in places]
    path = _write(
        tmp_path,
        "wjx_other.csv",
        {
            **WJX_META,
            "2、您最常用的功能": [["看剧┋投屏", "看综艺┋下载", "直播"][i % 3] for i in range(N)],
            "3、您是从哪里知道悦看视频的？": [
                where[i // 2 % 6] if i % 2 else ["朋友推荐", "应用商店"][i % 4 // 2]
                for i in range(N)
            ],
        },
    )
    code, err, records = _ingest(path, capsys)
    assert code == 0
    assert "text=3、您是从哪里知道悦看视频的？〖填写〗 (content)" in err
    assert set(records["text"]) == {w[3:-1] for w in where}


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        (["价格→内容→广告", "内容→价格→客服", "广告→画质"], "ranking"),
        (["电视┋手机", "电脑", "手机┋平板"], "multi-select"),
        (["广告太多→直接卸载了"] + ["太贵了"] * 9, None),  # an arrow in one sentence
        (["太贵了", "广告多"], None),
    ],
)
def test_choice_kinds(answers: list[str], kind: str | None) -> None:
    assert choice_kind(pd.Series(answers)) == kind


def test_scores_answered_with_fen_are_the_rating(tmp_path: Path, capsys) -> None:
    path = _write(
        tmp_path,
        "wjx_scores.csv",
        {
            **WJX_META,
            "2、您向朋友推荐悦看视频的可能性有多大？(0-10分)": [f"{i % 11}分" for i in range(N)],
            "3、您对以下方面的满意程度—画质": [f"{i % 5 + 1}分" for i in range(N)],
            "3、您对以下方面的满意程度—价格": [f"{(i + 2) % 5 + 1}分" for i in range(N)],
            "4、您考虑停用的主要原因是什么？": [REASONS[i % 6] + f"，第{i}次" for i in range(N)],
        },
    )
    code, err, records = _ingest(path, capsys)
    assert code == 0
    assert (
        "text=4、您考虑停用的主要原因是什么？ (content); user_id=1、用户ID (name); "
        "time=提交答卷时间 (name); rating=2、您向朋友推荐悦看视频的可能性有多大？(0-10分) (name)"
    ) in err
    assert records["rating"].tolist() == [float(i % 11) for i in range(N)]


@pytest.mark.parametrize(
    ("values", "numbers"),
    [
        (["3分", "10 分", "7"], [3.0, 10.0, 7.0]),
        (["4星", "5颗星"], [4.0, 5.0]),
        (["很好", "3分钟", ""], [float("nan")] * 3),
    ],
)
def test_score_numbers(values: list[str], numbers: list[float]) -> None:
    assert score_numbers(pd.Series(values)).tolist() == pytest.approx(numbers, nan_ok=True)


def test_weibo_posts_are_social_by_their_content(tmp_path: Path, capsys) -> None:
    posts = [
        f"回复@小{i}:{REASONS[i % 6]} //@用户{i}:转发微博"
        if i % 3 == 0
        else f"#悦看视频# {REASONS[i % 6]}，第{i}天了[怒]"
        for i in range(N)
    ]
    path = _write(tmp_path, "export.csv", {"编号": [f"P{i}" for i in range(N)], "正文": posts})
    code, err, records = _ingest(path, capsys)
    assert code == 0
    assert err == (
        f"{path}: csv, generic, utf-8, social; 30 rows -> 30 records, 0 rejected; "
        "columns: text=正文 (content); record_id=编号 (name)"
    )
    assert set(records["channel"]) == {"weibo"}
    # the reply, the repost chain and the tag are not the author's words
    assert records["text"].iloc[0] == REASONS[0]
    assert not records["text"].str.contains("@|#|转发微博").any()


@pytest.mark.parametrize(
    ("texts", "social"),
    [
        (["回复@小王:同感", "又卡了", "太贵"], True),
        (["//@老李:转发", "续费坑", "广告多"], True),
        (["#悦看视频# 乱扣费", "[怒][怒]", "还行", "一般", "差"], True),
        (["价格太贵", "客服回复慢", "卡顿", "广告多", "还行"], False),
        (["邮箱 a@b.com 收不到验证码", "卡顿", "广告多", "太贵", "一般"], False),
    ],
)
def test_social_marks(texts: list[str], social: bool) -> None:
    assert looks_social(pd.Series(texts)) is social


@pytest.mark.parametrize("name", ["反馈", "意见", "建议", "原因"])
def test_a_text_name_weighs_more_than_repetition(tmp_path: Path, capsys, name: str) -> None:
    short = ["太贵", "广告多", "卡顿", "客服差", "内容少", "不好用"]
    path = _write(
        tmp_path,
        "short.csv",
        {
            "用户ID": [f"U{i}" for i in range(N)],
            name: [short[i % 6] for i in range(N)],
            "等级": [["金卡", "银卡"][i % 2] for i in range(N)],
        },
    )
    code, err, _ = _ingest(path, capsys)
    assert code == 0
    assert err == (
        f"{path}: csv, generic, utf-8, survey; 30 rows -> 30 records, 0 rejected; "
        f"columns: text={name} (content); user_id=用户ID (name)"
    )


def test_a_label_file_given_as_input_gets_a_labels_hint(tmp_path: Path, capsys) -> None:
    path = _write(
        tmp_path,
        "churn.csv",
        {
            "id": [f"U{i:03d}" for i in range(N)],
            "churned": [i % 2 for i in range(N)],
            "tenure_months": [i + 1 for i in range(N)],
        },
    )
    code, err, _ = _ingest(path, capsys)
    assert code == 2
    assert err == (
        f"feedback-miner: error: {path}: this looks like a churn label file (user ids in 'id', "
        "churn in 'churned'), not feedback: it has no text to mine. Pass it with --labels FILE "
        "and give the feedback exports as the inputs."
    )


def test_a_label_file_keyed_like_the_inputs_is_joined(tmp_path: Path, capsys) -> None:
    feedback = _write(
        tmp_path,
        "tickets.csv",
        {
            "id": [f"U{i:03d}" for i in range(N)],
            "问题描述": [REASONS[i % 6] + f"，工单{i}" for i in range(N)],
        },
    )
    labels = _write(
        tmp_path,
        "churn.csv",
        {"id": [f"U{i:03d}" for i in range(N)], "churned": [i % 2 for i in range(N)]},
    )
    summary = tmp_path / "summary.json"
    code = main(
        [
            "analyze",
            str(feedback),
            "--id-col",
            "id",
            "--labels",
            str(labels),
            "--taxonomy",
            "default",
            "--summary",
            str(summary),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--quiet",
        ]
    )
    capsys.readouterr()
    assert code == 0
    assert pd.read_json(summary, typ="series")["labelled_users"] == N


def test_a_yes_no_rating_is_refused(tmp_path: Path, capsys) -> None:
    path = _write(
        tmp_path,
        "reviews.csv",
        {"评价": REASONS * 5, "是否推荐": [i % 2 for i in range(N)]},
    )
    code = main(
        [
            "sentiment",
            str(path),
            "--text-col",
            "评价",
            "--rating-col",
            "是否推荐",
            "-o",
            str(tmp_path / "s.csv"),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"feedback-miner: error: {path}: --rating-col '是否推荐': the ratings are only 0 and 1: "
        "that is a yes/no answer, not a score. Use a 1-5 score (CSAT, stars) or 0-10 (NPS), "
        "or leave the rating out."
    )


def test_a_yes_no_column_is_not_taken_as_the_rating(tmp_path: Path, capsys) -> None:
    path = _write(
        tmp_path,
        "reviews.csv",
        {
            "评价": [r + f"，第{i}条" for i, r in enumerate(REASONS * 5)],
            "推荐": [i % 2 for i in range(N)],
        },
    )
    code, err, records = _ingest(path, capsys)
    assert code == 0 and "rating=" not in err
    assert records["rating"].isna().all()
