"""The method sheet: how every figure in the report is defined, with thresholds and versions."""

from __future__ import annotations

import sys

import jieba
import openpyxl
import pandas as pd
import sklearn

from ..attribution.model import MAXIMUM_LIKELIHOOD, PENALISED
from ..result import AnalysisResult
from ..summary import TOP_THEMES
from ..summary.emerging import MAX_TEXTS
from ..summary.quotes import TYPICAL_SAMPLE
from .cells import Grid
from .i18n import Labels
from .notes import survival_source_text
from .settings import taxonomy_description
from .style import TITLE, TOP_SECTION, WRAP

__all__ = ["method_sheet"]

_METHOD_NAMES = {MAXIMUM_LIKELIHOOD: "最大似然", PENALISED: "Firth 惩罚似然"}


def method_sheet(grid: Grid, result: AnalysisResult, t: Labels) -> Grid:
    """Definitions in words, then the model, the thresholds and the versions."""
    band = result.settings.neutral_band
    attribution = result.attribution
    min_exposed = attribution.min_exposed if attribution is not None else 5
    model = attribution.model if attribution is not None else None
    survival = (
        survival_source_text(attribution.survival_source, t)
        if attribution is not None and attribution.survival_source
        else t("无(没有流失日期或在网时长列)")
    )
    lines = [
        (
            t("情感分"),
            t(
                "每个子句按情感词典打分(否定词翻转、程度副词加权、转折后句加重、感叹号加强)，合并后压缩到 [-1, 1]。"
                "≤ -{band} 为负面，≥ {band} 为正面，其余为中性。",
                band=band,
            ),
        ),
        (
            t("主题提及"),
            t(
                "分类(taxonomy)中的关键词按整词或词序列在子句中匹配(“贵”不会匹配“贵宾”)；含 exclude 词的子句不计。"
                "提及的情感分是命中子句的情感分(子句本身中性时取同一句中相邻子句)。"
            ),
        ),
        (
            t("暴露"),
            t(
                "用户在流失日期之前写的反馈中，以负面情感提及该主题，即视为暴露于该原因。流失之后写的反馈不计入。"
                "没有日期的反馈{undated}。父主题计入其子主题的提及(汇总，不重复计数)。",
                undated=t("按“写于流失之前”计入(并给出提示)")
                if result.settings.undated == "include"
                else t("不计入"),
            ),
        ),
        (
            t("纳入归因的用户"),
            t("标签文件中、至少有一条流失前反馈的用户。这样“是否写过反馈”对暴露与未暴露用户相同。"),
        ),
        (
            t("提及者流失率 / 未提及者流失率"),
            t("暴露用户中流失的比例；其余纳入用户中流失的比例。"),
        ),
        (t("提升度 (lift)"), t("提及者流失率 ÷ 未提及者流失率。")),
        (
            t("调整后比值比 (odds_ratio)"),
            t(
                "顶层主题(含其子主题的提及)一起进入一个多元逻辑回归，并调整标签文件中的其他列(协变量：数值列标准化，"
                "缺失值取均值并加一个缺失指示列；类别列取哑变量)；子主题在其父主题的用户之中、与父主题的其他子主题一起建模，"
                "表示它与同一父主题下其他用户相比的差别。比值比为该主题系数的指数，95% 置信区间为 exp(系数 ± 1.96 × 标准误)，"
                "p 值为 Wald 检验。若某主题把流失与未流失用户完全分开或最大似然不收敛，改用 Firth 惩罚似然，"
                "区间与 p 值来自惩罚似然的剖面。暴露用户少于 {n} 人的主题不进入模型。",
                n=min_exposed,
            ),
        ),
        (t("q 值"), t("对各主题 p 值做 Benjamini-Hochberg 多重比较校正。")),
        (
            t("归因流失占比 (impact)"),
            t(
                "模型预测的暴露用户流失人数，减去假设这些用户没有暴露于该主题时的预测流失人数，再除以实际流失总人数。"
                "表示该原因“多带来”的流失占全部流失的份额；数值越大，该原因解释的流失越多。各主题之和不一定等于 100%。"
            ),
        ),
        (t("未调整比值比"), t("2×2 表的比值比(有空格时各格加 0.5 校正)，供与调整后比值比对比。")),
        (
            t("把握程度"),
            t(
                "很有把握：95% 区间不含 1 且 q<0.01；较有把握：q<0.05；有一定把握：q<0.1；"
                "不确定：区间包含 1 或 q≥0.1，差别可能只是偶然，不应据此行动。"
            ),
        ),
        (
            t("混杂检查"),
            t(
                "对来源、渠道、反馈所针对的公司或品牌以及输入中取值较少的列，先检验其与流失是否相关；"
                "若相关，再在其各取值之内计算每个有把握的主题的 Mantel-Haenszel 比值比。"
                "若区间包含 1 或比值比在对数尺度上回落一半以上，标为“可能的混杂”，建议用 --adjust-for 把该列加入模型。"
            ),
        ),
        (
            t("风险比(Cox)与半数流失所需天数"),
            t(
                "以顶层主题暴露和协变量为自变量的 Cox 比例风险模型(lifelines，惩罚 0.01)，该主题的 exp(系数)及 95% 置信区间。"
                "时间起点为标签文件中的开始日期(注册、开通)，没有时用在网时长列，再没有时用用户的第一条反馈；"
                "流失用户到流失日期为止，其他用户在标签的截止日被删失。"
                "“半数流失所需天数”为 Kaplan-Meier 曲线降到 50% 的天数(观察期内流失不到一半时为空)。时长来源：{source}。",
                source=survival,
            ),
        ),
        (
            t("关键驱动象限"),
            t(
                "提及占比 = 暴露用户 ÷ 纳入归因的用户。区间包含 1 或 q≥0.1 的主题为“不确定”，"
                "既不列为“优先解决”也不算“优势”。其余主题中：归因流失占比小于 0 为“优势”；大于 0 且提及占比不低于"
                "进入模型的主题的中位数为“优先解决”；提及较少但归因流失占比不低于正值中位数为“重点关注”；其余为“低优先级”。"
            ),
        ),
        (
            t("文本带来的AUC提升"),
            t(
                "AUC(ROC 曲线下面积)衡量模型把“会流失的用户”排在“不会流失的用户”前面的概率：0.5 等于随机，1 为完美。"
                "为避免用结果预测结果，所有用户使用同一个截止日(流失日期的中位数)：特征只取截止日之前的反馈"
                "(各主题提及数、负面提及数、近期负面强度、平均/最低情感、距最近一次抱怨的天数)，结果为截止日之后到标签截止日之间是否流失；"
                "截止日之前已流失的用户不参与。比较仅用标签文件协变量与加入文本特征的逻辑回归的样本外 ROC AUC"
                "(分层 5 折，换 5 种分折取平均)，并列出只用反馈条数、只用条数与情感的对照。"
                "置信区间来自 1000 次按用户的自助抽样，每次随机取一种分折，因而也包含模型拟合的波动。"
            ),
        ),
        (
            t("评分驱动"),
            t(
                "评分列由扫描得到或用 --score-col 指定；NPS 用于 0-10 分，满意占比(前两档)用于满意度 1-5 分，其余用平均分，"
                "也可用 --score-metric 指定。主题的文档 = 提及该主题(或其子主题)的文档。影响 = 总体评分 − 去掉这些文档后的评分，"
                "单位同评分(负值：拉低评分)，95% 区间来自 1000 次按文档的自助抽样，区间包含 0 的为“不确定”。"
                "关键驱动系数：每条回答对评分的贡献(NPS：推荐者 +100、贬损者 −100；满意占比：满意为 100)对所有顶层主题做最小二乘回归"
                "(子主题与父主题的其他部分并列)，稳健(HC1)区间、p 值与 BH 校正的 q 值。"
            ),
        ),
        (
            t("变化"),
            t(
                "默认比较最近两个各有至少 30 条文档的自然月(--period 可改为周或季度；--split-date 按日期切分；"
                "--baseline 与上一次运行的 docs 表比较)。每个主题：两期提及文档占比、双比例 z 检验、BH 校正的 q 值；"
                "q<0.05 且至少 5 条文档时标为上升、下降、新出现或消失。有评分时，数量效应 = 占比变化 × 前期该主题文档与其余文档的评分差，"
                "效应变化 = 后期占比 × 评分差的变化。"
            ),
        ),
        (
            t("原声"),
            t(
                "最负面：该原因下情感分最低的提及。最典型：其余负面提及中，命中子句的字与二字词 TF-IDF 向量与平均向量余弦相似度最高的"
                "(超过 {n} 条时取固定种子的随机样本)，因此最典型的原声不会比最负面的更负面。"
                "每条文档只引用一次；与已引用的子句有一半以上的相邻字对相同的，视为重复，不再列出。",
                n=TYPICAL_SAMPLE,
            ),
        ),
        (
            t("趋势"),
            t(
                "按文档时间的自然月：当月提及该原因的文档 ÷ 当月有日期的文档；平均情感为当月文档情感分的平均。"
                "展示提及最多(有归因时按归因流失占比排序)的前 {n} 个原因。",
                n=TOP_THEMES,
            ),
        ),
        (
            t("细分"),
            t(
                "每个细分取值下，提及该原因的文档 ÷ 该取值的文档。细分列为来源、渠道、--segment-col 指定的列；"
                "未指定时自动选取取值 2-12 种、平均每个取值至少 5 条、覆盖至少 30% 文档的列(含标签文件中的类别列，按用户匹配)。"
            ),
        ),
        (
            t("流失类型"),
            t(
                "每条反馈取其最负面的流失原因的类型(自然、主动、被动)；自然流失与被动流失类主题只要被提及即算作原因，"
                "主动流失类主题需为负面提及。"
            ),
        ),
        (
            t("新主题"),
            t(
                "未匹配任何主题且至少 6 个字的抱怨：负面文档，以及其他文档中的负面子句(超过 {n} 条时取固定种子的随机样本)。"
                "去掉情绪词、虚词、品牌名、@账号和模板文字，相邻常见词组合并为短语，用 NMF 分解 TF-IDF 得到话题；"
                "话题数在 3-15 之间选在随机 80% 样本上重新拟合时文本归属最稳定的一个，关键词或文本重叠的话题合并；"
                "话题以最有代表性的短语命名，一致性(NPMI)不低于 0.1 为好。",
                n=MAX_TEXTS,
            ),
        ),
        (t("模型"), t(_METHOD_NAMES[model.method]) if model is not None else t("(未拟合)")),
        (
            t("模型备注"),
            t("部分主题把流失与未流失用户分开，或最大似然不收敛，因此使用惩罚似然。")
            if attribution is not None and attribution.penalised
            else "",
        ),
        (t("随机种子"), str(result.settings.seed)),
        (t("分类"), taxonomy_description(result, t)),
        (
            t("版本"),
            f"feedback-miner {result.settings.version}; Python {sys.version.split()[0]}; "
            f"jieba {jieba.__version__}; pandas {pd.__version__}; scikit-learn {sklearn.__version__}; "
            f"openpyxl {openpyxl.__version__}",
        ),
    ]
    grid.put(1, 1, t("方法说明"), TITLE)
    for i, (name, text) in enumerate(lines, start=3):
        grid.put(i, 1, name, TOP_SECTION)
        grid.put(i, 2, text, WRAP)
    grid.widths = [28, 100]
    return grid
