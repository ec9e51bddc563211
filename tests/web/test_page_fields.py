"""Messages as the upload page shows them, and its per-file column choices."""

import pytest

from feedback_miner.web.page_fields import for_page, per_file_columns


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        (
            "导出.csv: no column holds free text (answers in the customer's own words); the "
            "columns are: 'a'. Name the free-text column with --text-col NAME.",
            "导出.csv：没有找到顾客自己写的文字的列。请在这个文件的“文本列”里选一列。\n"
            "导出.csv: no column holds free text (answers in the customer's own words); the "
            "columns are: 'a'. Name the free-text column with “文本列”(text_col).",
        ),
        (
            "labels.csv: cannot tell which column holds the user id; the columns are: 'k'. "
            "Name it with --label-id-col NAME.",
            "labels.csv：看不出哪一列是用户ID。请在“标签用户ID列”里选。\n"
            "labels.csv: cannot tell which column holds the user id; the columns are: 'k'. "
            "Name it with “标签用户ID列”(label_id_col).",
        ),
        (
            "churn.xlsx: this looks like a churn label file (user ids in 'id', churn in "
            "'churned'), not feedback: it has no text to mine. Pass it with --labels FILE and "
            "give the feedback exports as the inputs.",
            "churn.xlsx：这是流失标签表(用户ID与是否流失)，不是反馈。请把它放到“流失标签表”，"
            "反馈导出文件放到第 1 步。\n"
            "churn.xlsx: this looks like a churn label file (user ids in 'id', churn in "
            "'churned'), not feedback: it has no text to mine. Pass it with “流失标签表”(labels) "
            "and give the feedback exports as the inputs.",
        ),
        (
            "a.csv: --id-col 'uid' is not a column of this file. The columns are: 'x'.",
            "a.csv：所选的列不在这个文件里，请重新选择。\n"
            "a.csv: “用户ID列”(id_col) 'uid' is not a column of this file. The columns are: 'x'.",
        ),
        # nothing to say about it: as it was (a flag-like word that is not a flag stays)
        ("a.xlsx: the workbook is damaged.", "a.xlsx: the workbook is damaged."),
        ("use --text-colour", "use --text-colour"),
    ],
)
def test_messages_name_the_pages_controls(message: str, shown: str) -> None:
    assert for_page(message) == shown


@pytest.mark.parametrize(
    ("field", "files", "parsed"),
    [
        (None, 2, ()),
        ("", 2, ()),
        ('[{"text_col": "问题描述", "id_col": "用户ID"}]', 2, ((("问题描述",), "用户ID", None),)),
        (
            '[{}, {"time_col": "发布时间", "text_col": ""}]',
            2,
            (((), None, None), ((), None, "发布时间")),
        ),
    ],
)
def test_per_file_columns(field, files: int, parsed: tuple) -> None:
    assert per_file_columns(field, files) == parsed


@pytest.mark.parametrize("field", ["[1]", "[{}, {}, {}]", '[{"id_col": ["a"]}]', "{}"])
def test_per_file_columns_refused(field: str) -> None:
    with pytest.raises(ValueError, match=r"^columns 应为 JSON 列表"):
        per_file_columns(field, 2)
