"""Demo summaries: the previous calendar year finalized, the current one in draft, written in the style of
a real school's year-end summary (drafted figures kept, the secretary's prose in place of the prompts)."""

import re

from django.utils import translation

from branches.periods import calendar_year

from .models import SectionKey, SummarySection
from .services import summary_create, summary_finalize

PROSE = {
    SectionKey.INTRODUCTION: [
        "党建带团建，是新时代进一步加强和改进党对青年工作领导的需要。一年来，学校党组织在抓好自身建设的同时，"
        "切实加强对共青团工作的领导，不断增强团组织的吸引力、凝聚力和战斗力，使团组织更好地发挥党的助手和后备军作用。",
    ],
    SectionKey.ORGANIZATION: [
        "学校党总支坚持“党建带团建”的基本原则，把团的建设纳入党建工作总体布局。每学期初，党总支召开团建工作专题会议，"
        "研究如何深入团组织、了解团工作、指导团组织开展工作，由党总支副书记具体负责联系团委工作。",
        "在党组织的关心下，校团委、学生会按照严格规范的程序完成换届选举，选举产生了新一届团委委员和学生会干部，"
        "各班团支部同步完成改选，团干部队伍得到充实和优化。",
    ],
    SectionKey.EDUCATION: [
        "每学期开学，学校认真制订党建带团建工作计划，并纳入学校德育工作整体规划。坚持德育为先，把教育放在突出位置，"
        "提高德育工作的针对性和实效性。",
        "党总支要求校团委围绕学校德育目标，分层次、分阶段开展系列德育活动：举办“三月文明礼貌月”系列活动和教师节庆祝活动，"
        "开展以安全教育和知识普及为主题的黑板报评比，引导学生尊老爱幼、助人为乐、诚实守信。",
    ],
    SectionKey.SYSTEMS: [
        "学校党组织建立健全党团联系例会制度、入党积极分子培养制度、推优入党制度和民主评议制度，确保党建与团建同部署、"
        "同落实、同检查、同考核。",
        "党课有计划、成系统，围绕党的性质、历史、指导思想、奋斗目标和党员条件等内容开展教育；每名入党积极分子由两名党员"
        "联系培养，按季度考察，定期向党组织汇报思想。",
    ],
    SectionKey.ACTIVITIES: [
        "校团委紧紧围绕学校中心工作，开展了一系列主题团日活动，努力营造健康、高雅、活泼的校园文化氛围。"
        "开展学雷锋社区服务活动，组织团员青年到敬老院、儿童福利院等社区援助点开展志愿服务；"
        "依托革命烈士纪念碑、纪念馆等爱国主义教育基地，开展社会实践和革命传统教育。",
        "“爱心助学基金”每学期开展一次募捐活动，师生踊跃捐款，形成了“一方有难、八方支援”的良好氛围，促进了教风、学风和校风的良性循环。",
    ],
    SectionKey.HONORS: [
        "在学校党组织的领导下，校团委为学校赢得了多项荣誉。团委将继续发扬“党有号召、团有行动”的优良传统，"
        "立足学习、培训、奉献三个阵地，为学校发展作出更大贡献。",
    ],
    SectionKey.PLANS: [
        # (一)(二): items inside section 六、; the 推优 target is the school's own figure, never boilerplate.
        "（一）继续深化“党建带团建”工作机制，每学期召开不少于两次党团联席会议，落实期初计划、期中推进、期末总结。",
        "（二）做好“推优入党”工作，严格推优程序，对照学校年度推优目标（本年度[[recommendations.target]]名）抓好落实。",
        "（三）加强入党积极分子培养考察，落实两名培养联系人和按季度考察制度。",
        "（四）拓展志愿服务和社会实践阵地，办好“爱心助学基金”，做到账目清楚、公开透明。",
    ],
}

PROMPT_RE = re.compile(r"<p>【[^】]*】</p>")


def _write(summary):
    sections = list(summary.sections.all())
    for section in sections:
        prose = "".join(f"<p>{p}</p>" for p in PROSE[section.key])
        drafted = PROMPT_RE.sub("", section.narrative)
        if section.key in (SectionKey.INTRODUCTION,):
            section.narrative = prose + drafted
        else:
            section.narrative = drafted + prose
    SummarySection.objects.bulk_update(sections, ["narrative"])


def seed(ctx):
    user = ctx.users.get(ctx.prefix() + "party") or ctx.users.get(ctx.prefix() + "admin")
    if user is None or ctx.school is None:
        return
    with translation.override("zh-hans"):
        last = summary_create(organization=ctx.school, period=calendar_year(ctx.today.year - 1), by=user)
        _write(last)
        summary_finalize(summary=last, by=user)
        current = summary_create(organization=ctx.school, period=calendar_year(ctx.today.year), by=user)
        _write(current)
