"""Impact reports: what a funding program paid for in a member's district, and what happened when it ended.

A report is a wiki page (history, talk and moderation come with it), written from a template by the form at
/advocacy/programs/<slug>/report under the title `Impact reports/<Program> – <District> <year>`. Its figures
are in a data block at the end of the page, readable by anyone who reads or edits it:

    ```impact-report
    program: e-rate
    year: 2024
    amount: 32000
    state: IA
    district: Plainview Community Schools
    district_size: under-1000
    ```

Why a fenced block and not the page's front matter: the wiki's front matter (wiki/frontmatter.py) refuses
keys it does not know, so an `impact-report` key there would refuse the save; the block shows the figures on
the page as well, which is what a reader checking a total wants.

Every save of a page is read by `index_revision` (the wiki's revision_saved signal, inside the saving
transaction): a valid block writes the page's ImpactReport row, an edit updates it, removing the block
removes it. A block that is wrong refuses the save with a sentence naming the field (the editor keeps the
text), so no page claims figures the totals do not count. A deleted page's row stays but is left out of
every listing and total (ImpactReport.objects.live()), so restoring the page restores its figures.
"""

import re
from dataclasses import dataclass

import yaml
from django.db.models import Count, Sum
from django.utils import timezone

from districtwiki import plainsql
from districtwiki.community.models import Profile
from districtwiki.community.states import OUTSIDE_US, STATES, state_name
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki import frontmatter
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .funding_actions import (
    Duplicate,
    FundingError,
    check_signed_in,
    clean_amount,
    clean_url,
    clean_year,
    one_line,
)
from .models import FundingProgram, ImpactReport

FENCE = "```impact-report"
# Two plain searches, not one pattern spanning the block: a lazy match from every opening line of a page
# made of thousands of them would scan to the end from each (quadratic); these pass over the text once.
OPENING = re.compile(r"^```impact-report[ \t]*$", re.MULTILINE)
CLOSING = re.compile(r"^```[ \t]*$", re.MULTILINE)
MAX_BLOCK_CHARS = 4_000
BLOCK_KEYS = ("program", "year", "amount", "state", "district", "district_size")
REQUIRED_KEYS = ("program", "year", "amount", "state")
TITLE_PREFIX = "Impact reports/"
CATEGORY = "Impact reports"
MAX_DISTRICT = 120
MAX_SECTION = 5_000


class InvalidReport(FundingError):
    """The page's impact report block is wrong; the message names the field."""


@dataclass
class ReportData:
    program: FundingProgram
    year: int
    amount: int
    state: str
    district: str = ""
    district_size: str = ""


# --- Reading a page's block -----------------------------------------------------------------------------


def block_source(text: str) -> str | None:
    """The YAML inside the page's first impact-report block, None when the page has none."""
    if FENCE not in text:
        return None
    opening = OPENING.search(text)
    if opening is None:
        return None
    closing = CLOSING.search(text, opening.end())
    if closing is None:
        raise InvalidReport("The impact report block needs a closing ``` line after its fields.")
    return text[opening.end() : closing.start()]


def parse_block(source: str) -> ReportData:
    if len(source) > MAX_BLOCK_CHARS:
        raise InvalidReport(f"The impact report block may be at most {MAX_BLOCK_CHARS:,} characters long.")
    try:
        data = yaml.load(source, Loader=frontmatter.BoundedLoader)
    except frontmatter.InvalidFrontMatter as error:
        raise InvalidReport(f"The impact report block is not usable: {error}") from None
    except yaml.YAMLError:
        raise InvalidReport(
            "The impact report block is not valid YAML: write one `field: value` a line."
        ) from None
    if not isinstance(data, dict):
        raise InvalidReport("The impact report block must be `field: value` lines such as `year: 2024`.")
    unknown = [str(key) for key in data if key not in BLOCK_KEYS]
    if unknown:
        raise InvalidReport(
            f"The impact report field `{unknown[0][:40]}` is not known; "
            f"the fields are: {', '.join(BLOCK_KEYS)}."
        )
    missing = [key for key in REQUIRED_KEYS if data.get(key) in (None, "")]
    if missing:
        raise InvalidReport(f"The impact report block needs `{missing[0]}`.")
    return ReportData(
        program=_program(data["program"]),
        year=_field("year", clean_year, data["year"]),
        amount=_field("amount", clean_amount, data["amount"]),
        state=_state(data["state"]),
        district=_field(
            "district", lambda v: one_line(v, "district", MAX_DISTRICT, required=False), data.get("district")
        ),
        district_size=_district_size(data.get("district_size")),
    )


def _field(name: str, clean, value):
    if isinstance(value, (dict, list, bool)):
        raise InvalidReport(f"The impact report field `{name}` must be a single value.")
    try:
        return clean(value)
    except FundingError as error:
        raise InvalidReport(f"The impact report field `{name}`: {error}") from None


def _program(value) -> FundingProgram:
    slug = str(value).strip()[:100]
    program = FundingProgram.objects.filter(slug=slug).first()
    if program is None:
        raise InvalidReport(
            f"The impact report names the program “{slug}”, which is not one we track: use the address of a "
            "program listed at /advocacy/programs/."
        )
    return program


def _state(value) -> str:
    code = str(value).strip().upper()
    if code not in STATES or code == OUTSIDE_US:
        raise InvalidReport(
            f"The impact report field `state` must be a two-letter state such as IA, not “{code[:10]}”."
        )
    return code


def _district_size(value) -> str:
    if value in (None, ""):
        return ""
    size = str(value).strip()
    if size not in Profile.DistrictSize.values:
        raise InvalidReport(
            "The impact report field `district_size` must be one of: "
            f"{', '.join(Profile.DistrictSize.values)}."
        )
    return size


# --- Indexing (the revision_saved receiver) ------------------------------------------------------------


def index_revision(sender, page, revision, author, created, **kwargs) -> None:
    """Keep the page's ImpactReport row in step with its text: written, updated or removed."""
    source = block_source(revision.text)
    if source is None:
        if not created:
            _forget_report(page)
        return
    report = parse_block(source)
    ImpactReport.objects.update_or_create(
        page=page,
        defaults={
            "program": report.program,
            "year": report.year,
            "amount": report.amount,
            "state": report.state,
            "district_size": report.district_size,
            "district_key": report.district.lower()[:200] if report.district else f"page:{page.pk}",
            "updated_at": timezone.now(),
        },
    )


def _forget_report(page) -> None:
    """ImpactReport.objects.filter(page=page).delete(), as the one statement the ORM sends for it (no
    signal listens for these rows and no row refers to them), without building it on every save of every
    page that holds no report."""
    connection = plainsql.db(ImpactReport, write=True)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ImpactReport._meta.db_table} WHERE page_id = %s", [page.pk])


# --- Writing a report from the form ---------------------------------------------------------------------


@dataclass
class ReportForm:
    data: ReportData
    funded: str
    outcomes: str
    consequences: str
    source_url: str


def clean_form(program: FundingProgram, data) -> ReportForm:
    district = one_line(data.get("district"), "district's name", MAX_DISTRICT, required=True)
    report = ReportData(
        program=program,
        year=clean_year(data.get("year")),
        amount=clean_amount(data.get("amount")),
        state=_form_state(data.get("state")),
        district=district,
        district_size=_form_size(data.get("district_size")),
    )
    source = str(data.get("source_url") or "").strip()
    return ReportForm(
        data=report,
        funded=_section(data.get("funded"), "what the program paid for", required=True),
        outcomes=_section(data.get("outcomes"), "measurable outcomes", required=False),
        consequences=_section(data.get("consequences"), "consequences of losing it", required=False),
        source_url=clean_url(source) if source else "",
    )


def _form_state(value) -> str:
    code = str(value or "").strip().upper()[:10]
    if not code:
        raise FundingError("Choose your district's state.")
    if code not in STATES or code == OUTSIDE_US:
        raise FundingError(f"“{code}” is not a state: use a two-letter code such as IA.")
    return code


def _form_size(value) -> str:
    size = str(value or "").strip()
    if size and size not in Profile.DistrictSize.values:
        raise FundingError("Choose one of the district sizes offered, or leave it empty.")
    return size


def _section(value, label: str, *, required: bool) -> str:
    text = wiki_actions.normalize_text(str(value or "")).strip()
    if required and not text:
        raise FundingError(f"Tell {label}: it is empty.")
    if len(text) > MAX_SECTION:
        raise FundingError(f"Keep {label} to {MAX_SECTION:,} characters; this has {len(text):,}.")
    wiki_actions.check_text(text)
    return text


def report_title(form: ReportForm) -> str:
    name = f"{TITLE_PREFIX}{form.data.program.name} – {form.data.district} {form.data.year}"
    try:
        return normalize_title(name)
    except InvalidTitle as error:
        raise FundingError(f"The report cannot be named “{name[:120]}”: {error}") from None


def report_text(form: ReportForm) -> str:
    data = form.data
    lines = [f"{FENCE}", f"program: {data.program.slug}", f"year: {data.year}", f"amount: {data.amount}"]
    lines += [f"state: {data.state}", f"district: {frontmatter.quoted(data.district)}"]
    if data.district_size:
        lines.append(f"district_size: {data.district_size}")
    lines.append("```")
    where = state_name(data.state) or data.state
    program_link = f"[{data.program.name}]({data.program.get_absolute_url()})"
    intro = f"In {data.year}, {program_link} paid **${data.amount:,}** to {data.district} ({where})."
    parts = [intro, "## What it paid for", form.funded]
    parts += ["## Measurable outcomes", form.outcomes or "_Not reported yet._"]
    parts += ["## When the funding ended", form.consequences or "_Not reported yet._"]
    if form.source_url:
        parts += ["## Source", f"<{form.source_url}>"]
    # The story first, the figures the totals count last: readers come for the first.
    parts += ["## Figures counted in the program's totals", "\n".join(lines)]
    parts.append(f"[[Category:{CATEGORY}]]")
    return "\n\n".join(parts) + "\n"


def file_report(program: FundingProgram, user, data) -> Page:
    """Write the report page through the wiki's save (which indexes it); a taken title is refused."""
    check_signed_in(user, "file an impact report")
    form = clean_form(program, data)
    title = report_title(form)
    existing = Page.objects.filter(title=title).first()
    if existing is not None:
        raise Duplicate(
            f"There is already a report called “{title}”: edit that page to change it, or name another year."
        )
    result = wiki_actions.save_revision(
        title, report_text(form), user, base_revision=None, summary=f"Impact report on {program.name}"
    )
    return result.page


def profile_defaults(user) -> dict:
    profile = Profile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        return {}
    return {"district": profile.district_name, "state": profile.state, "district_size": profile.district_size}


# --- Listings and totals --------------------------------------------------------------------------------


@dataclass
class Totals:
    reports: int
    districts: int
    states: int
    amount: int

    @property
    def sentence(self) -> str:
        if not self.reports:
            return "No district has reported on this program yet."
        districts = f"{self.districts} district{'s' if self.districts != 1 else ''}"
        states = f"{self.states} state{'s' if self.states != 1 else ''}"
        verb = "reports" if self.districts == 1 else "report"
        return f"{districts} in {states} {verb} {short_dollars(self.amount)} from this program."


def short_dollars(amount: int) -> str:
    """$1.4 M, $320 K, $950: how totals are said in a sentence (tables give the exact figure)."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if amount >= size:
            return f"${amount / size:,.1f} {suffix}".replace(".0 ", " ")
    return f"${amount:,}"


def reports_for(program: FundingProgram):
    return ImpactReport.objects.live().filter(program=program).select_related("page")


def totals_for(program: FundingProgram) -> Totals:
    row = (
        reports_for(program)
        .order_by()
        .aggregate(
            reports=Count("id"),
            districts=Count("district_key", distinct=True),
            states=Count("state", distinct=True),
            amount=Sum("amount"),
        )
    )
    return Totals(row["reports"], row["districts"], row["states"], row["amount"] or 0)


def totals_by_state(program: FundingProgram) -> list[dict]:
    """One row per state: its reports, districts and dollars, the largest total first."""
    rows = (
        reports_for(program)
        .order_by()
        .values("state")
        .annotate(reports=Count("id"), districts=Count("district_key", distinct=True), amount=Sum("amount"))
        .order_by("-amount", "state")
    )
    return [row | {"state_name": state_name(row["state"]) or row["state"]} for row in rows]


def recent_reports(limit: int = 5):
    return (
        ImpactReport.objects.live().select_related("page", "program").order_by("-updated_at", "-id")[:limit]
    )
