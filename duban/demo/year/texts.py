"""The demo year's words: what units write in their reports, and the documents they attach."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.files import CheckedFile, check_file
from duban.core.lazy import LazyModule
from duban.exports.official import OfficialDocument, Para
from duban.ledger.models import Task

if TYPE_CHECKING:
    from duban.exports import official_docx
else:
    # python-docx: loaded when the demo writes its first document (duban/core/lazy.py).
    official_docx = LazyModule("duban.exports.official_docx")

MILESTONES = [
    ("制定年度工作方案，明确责任分工和时间节点", 3),
    ("完成年度目标任务的一半，形成阶段性成果", 6),
    ("完成年度目标任务的75%以上", 9),
    ("全面完成年度目标任务，做好总结评估", 12),
]
MIDDLE_WORDS = [
    "推进项目前期手续办理和要素保障",
    "召开专题推进会，协调解决存在问题",
    "开展一次专项调度，通报进展情况",
]

PROGRESS_TEXTS = [
    "{lead}牵头召开专题推进会{meetings}次，细化责任清单，{work}，{quarter}累计完成年度目标的{p}%。",
    "{quarter}，{lead}对照细化台账逐项推进，{work}。截至目前，完成年度任务的{p}%，"
    "各责任单位配合有力。",
    "围绕“{short}”，{lead}建立周调度、月通报机制，{work}，整体进度{p}%。",
    "{lead}会同责任单位实地督导{meetings}次，{work}；{quarter}完成年度目标的{p}%，总体按计划推进。",
]
WORK = [
    "完成项目摸底和台账更新",
    "争取上级资金和政策支持",
    "组织开展现场观摩和业务培训",
    "推动重点环节审批提速",
    "完善配套制度和考核办法",
    "加强部门协调和要素保障",
]
PROBLEMS = [
    "部分项目前期手续办理进度偏慢，用地、环评等要素保障仍需加强。",
    "资金到位不及时，部分配套资金尚未落实。",
    "个别责任单位配合不够紧密，信息报送不及时。",
    "",
    "受天气和原材料价格影响，部分工程施工进度有所放缓。",
    "",
]
LAG_PROBLEMS = [
    "项目资金缺口较大，施工单位进场推迟，进度明显滞后于计划。",
    "关键审批环节尚未完成，主体工程未能按期开工。",
]
NEXT_STEPS = [
    "下一步，将加大调度力度，确保按时完成下季度目标。",
    "下一步，紧盯时间节点，实行挂图作战、倒排工期，确保年度任务如期完成。",
    "下一步，继续强化部门联动，及时协调解决推进中遇到的困难和问题。",
]
RETURN_COMMENTS = [
    "进展情况过于笼统，请补充具体数据和已完成的节点。",
    "形象进度与细化台账不一致，请核实后重新报送。",
    "存在问题和下步打算未填写完整，请补充。",
]
CONTRIBUTION_TEXTS = [
    "{unit}配合{lead}做好{short}相关工作，{quarter}完成本单位承担任务。",
    "{unit}按照分工，{work}，及时向牵头单位报送情况。",
    "{unit}成立工作专班，{work}，配合推进{short}。",
]


def quarter_words(quarter: int) -> str:
    return ["一季度", "二季度", "三季度", "四季度"][quarter - 1]


def short(task: Task, limit: int = 14) -> str:
    text = task.text.strip().rstrip("。")
    for mark in "，。；、":
        text = text.split(mark, 1)[0]
    return text if len(text) <= limit else text[:limit] + "……"


def evidence(title: str, lines: list[str], on: dt.date, issuer: str = "偃师区") -> CheckedFile:
    """A short Word document, as a unit attaches to a report or a rectification report."""
    document = OfficialDocument(
        title=title,
        doc_number="",
        recipients=["区人民政府督查室"],
        paragraphs=[Para(line) for line in lines],
        issuer=issuer,
        date=on,
    )
    return check_file(f"{title}.docx", official_docx.write(document))


# --- The second half ---------------------------------------------------------------------------

DONE_TEXT = "{lead}已全面完成年度目标任务，各项指标均达到预期。"
YEAR_TEXTS = [
    "2023年，{lead}围绕“{short}”，{work}，全年完成年度目标任务的{p}%。{result}",
    "全年，{lead}对照细化台账逐月调度、逐项销号，{work}，年度任务完成{p}%。{result}",
    "{lead}牵头建立工作专班，全年召开推进会{meetings}次，{work}，完成年度目标的{p}%。{result}",
]
RESULTS = {
    "done": "年度目标任务已全面完成，佐证材料附后。",
    "beyond": "年度目标任务全面完成，主要指标超额完成，佐证材料附后。",
    "missed": "未能全面完成年度目标任务。",
}
YEAR_NEXT_STEPS = [
    "2024年，将巩固提升工作成效，建立长效机制。",
    "下一步，将认真总结经验，持续推动工作提质增效。",
    "2024年，将对标先进找差距，推动各项工作再上新台阶。",
]
MISSED_PROBLEMS = {
    11: "受财政收支矛盾影响，项目配套资金未能足额落实，部分工作未能按期完成。",
    70: "资金筹措困难，项目建设推进缓慢，年度目标未能完成。",
    48: "受用地报批和征迁影响，主体工程未能按期完工，已申请延期至2024年3月底。",
    81: "前期工作推进不力，项目实际进度明显滞后，年度目标未能完成。",
    92: "受企业用工需求下降影响，部分指标未能达到年度目标。",
}
LATE_REFINEMENT_COMMENT = "细化台账已按要求修改完善，同意。"


def upload(checked: CheckedFile) -> SimpleUploadedFile:
    """A file as a unit uploads it on a page (the services check it again)."""
    return SimpleUploadedFile(checked.name, checked.data, content_type=checked.content_type)
