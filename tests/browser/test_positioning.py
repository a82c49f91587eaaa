"""The positioning study clicked through in Chromium as the marketing lead: a study designed
from the home page (an attribute added, the questionnaire generated, the fieldwork tab); the
results of an answered study (the map drawn, its supplementary groups, the gaps, shadow IT,
the segments); a persona card written from a segment and made an audience; a statement
written, published and shown as the promise of its catalogue family; and the executive, who
reads the map without any edit button. Screenshots of the map, gaps, segments, persona cards
and statement in French and English, on a desk and on a phone, go to
``test-artifacts/screenshots/positioning-<page>-<lang>-<device>.png``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from phare.comms.models import Audience
from phare.positioning.models import Persona, Statement, Study
from tests.catalog.factories import make_families, make_service
from tests.positioning.factories import make_answered_study

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _language(page, code: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()  # on a phone the language switch is in the folded menu
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _charts_drawn(page) -> None:
    """Every chart of the page rendered by Vega as an SVG."""
    canvases = page.locator(".chart-canvas")
    for i in range(canvases.count()):
        expect(canvases.nth(i).locator("svg").first).to_be_attached()


def _shots(page, shot, name: str) -> None:
    """The page now, in French and English, on a desk and on a phone."""
    for code in ("fr", "en"):
        _language(page, code)
        _charts_drawn(page)
        for device, size in (("desktop", DESK), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.wait_for_timeout(150)  # Vega redraws charts sized to their container
            shot(f"positioning-{name}-{code}-{device}")
    page.set_viewport_size(DESK)


def _first_number(text: str, unit: str) -> int:
    found = re.search(rf"(\d+) {unit}", text)
    assert found, text
    return int(found.group(1))


def _open_positioning(page) -> None:
    """The main menu's entry (the UI speaks English here)."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Positioning").click()
    expect(page).to_have_url(re.compile(r"/positioning/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Positioning studies")


def test_the_marketing_lead_designs_a_study(page, sign_in, personas):
    make_families()
    page.set_viewport_size(DESK)
    sign_in("marketing")
    _language(page, "en")
    _open_positioning(page)
    expect(page.locator("#studies")).to_contain_text("No study yet.")

    page.get_by_role("link", name="New study").click()
    page.get_by_label("Identifier").fill("collab-2027")
    page.get_by_label("Title (French)").fill("Collaborer en 2027")
    page.get_by_label("Title (English)").fill("Collaborating in 2027")
    page.get_by_label("Domain").select_option(label="Collaborating")
    page.get_by_role("button", name="Create the study").click()
    expect(page).to_have_url(re.compile(r"/positioning/collab-2027/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Collaborating in 2027")
    expect(page.locator(".messages")).to_contain_text("Study created")
    expect(page.locator(".study-facts")).to_contain_text("Collaborating")

    # The default alternatives (the IT department first) and attributes.
    alternatives = page.locator("#alternatives tbody tr")
    expect(alternatives).to_have_count(5)
    expect(alternatives.first).to_have_attribute("data-code", "dsi")
    for code in ("outsourcer", "saas", "personal", "power_user"):
        expect(page.locator(f'#alternatives tr[data-code="{code}"]')).to_have_count(1)
    attributes = page.locator("#attributes tbody tr")
    expect(attributes).to_have_count(8)
    expect(page.locator('#attributes tr[data-code="security"]')).to_be_visible()

    # An attribute added.
    page.get_by_text("Add or change an attribute").click()
    form = page.locator("details.design-add").filter(has_text="Add or change an attribute")
    # By name: the alternative and attribute forms share the ids id_code, id_label_fr and
    # id_label_en, so the attribute form's labels point at the alternative form's fields.
    form.locator("input[name=code]").fill("sovereignty")
    form.locator("input[name=label_fr]").fill("Souveraineté des données")
    form.locator("input[name=label_en]").fill("Data sovereignty")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Attribute saved.")
    expect(attributes).to_have_count(9)
    expect(attributes.last).to_have_attribute("data-code", "sovereignty")
    expect(attributes.last).to_contain_text("Data sovereignty")

    # The questionnaire generated.
    assert Study.objects.get(slug="collab-2027").survey is None
    page.get_by_role("button", name="Generate the questionnaire", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    for code in ("ratings", "importance", "used", "tools", "preference", "comment"):
        expect(page.locator(f'#questionnaire li[data-code="{code}"]')).to_have_count(1)
    expect(page.get_by_role("button", name="Generate the questionnaire again")).to_be_visible()
    study = Study.objects.get(slug="collab-2027")
    assert study.survey is not None and study.family is not None
    assert study.family.code == "collab"
    assert list(study.attributes.values_list("code", flat=True))[-1] == "sovereignty"

    # The fieldwork tab.
    page.get_by_role("navigation", name="Sections of the study").get_by_role(
        "link", name="Fieldwork").click()
    expect(page).to_have_url(re.compile(r"/positioning/collab-2027/fieldwork/$"))
    expect(page.locator(".lead")).to_contain_text("0 respondents released")
    expect(page.get_by_text("No wave yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Plan the wave")).to_be_visible()


def test_the_marketing_lead_reads_the_results_and_writes_the_outputs(page, shot, sign_in,
                                                                     personas):
    families = make_families()
    make_service("espace", name_fr="Espace collaboratif", family="collab")
    study = make_answered_study(120, user=personas["marketing"], family=families["collab"],
                                title_fr="Collaborer : la DSI et les autres",
                                title_en="Collaborating: IT and the others")
    page.set_viewport_size(DESK)
    sign_in("marketing")
    _language(page, "en")
    _open_positioning(page)
    row = page.locator(f'#studies tr[data-study="{study.slug}"]')
    expect(row.locator("td.number")).to_have_text("120")
    row.get_by_role("link", name="Collaborating: IT and the others").click()
    tabs = page.get_by_role("navigation", name="Sections of the study")

    # The map: drawn, with its reading rule and the share of inertia of each dimension.
    tabs.get_by_role("link", name="Map").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/map/$"))
    expect(page.locator(".map-figure .chart-canvas svg").first).to_be_attached()
    expect(page.locator(".map-figure .chart-canvas svg text").filter(
        has_text="Security").first).to_be_attached()
    rule = page.locator(".reading-rule")
    expect(rule.get_by_role("heading", name="How to read this map")).to_be_visible()
    expect(rule).to_contain_text(re.compile(
        r"The first dimension shows \d+\.\d % of the differences between the alternatives, "
        r"the second \d+\.\d %"))
    inertia = page.locator("section").filter(has=page.get_by_role(
        "heading", name="Share of inertia of each dimension"))
    percents = [float(text) for text in inertia.locator("tbody tr td:nth-child(3)")
                .all_inner_texts()]
    assert percents[-1] == 100 and percents[0] >= percents[1] > 0
    assert abs(sum(percents[:-1]) - 100) < 0.5, percents

    # The IT department as seen by each job family.
    page.get_by_label("Also place the IT department as seen by").select_option(
        label="Job families")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/map/\?by=job_family$"))
    supplementary = page.locator("tr.supplementary")
    expect(supplementary.first).to_be_attached()
    names = " ".join(supplementary.all_inner_texts())
    assert "Informatique" in names and "Commercial" in names, names
    _shots(page, shot, "map")

    # The gaps: the IT department wins on security and loses on speed.
    tabs.get_by_role("link", name="Gaps").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/gaps/$"))
    gaps = page.locator("table.gaps")
    expect(gaps.locator("caption")).to_contain_text("n = 120")
    expect(gaps.locator("tr.verdict-wins").filter(has_text="Security")).to_contain_text("Wins")
    expect(gaps.locator("tr.verdict-loses").filter(has_text="Speed")).to_contain_text("Loses")
    _charts_drawn(page)
    _shots(page, shot, "gaps")

    # Shadow IT: the tools named by enough people, the rarer ones pooled.
    tabs.get_by_role("link", name="Shadow IT").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/shadow/$"))
    tools = page.locator("table.shadow-tools")
    expect(tools.locator("caption")).to_contain_text("n = 120")
    named = tools.locator("tbody tr:not(.other) th").all_inner_texts()
    assert "Trello" in named and "Notion" in named, named
    notion = tools.locator("tbody tr").filter(has=page.locator("th", has_text="Notion"))
    assert int(notion.locator("td").first.inner_text()) >= 5
    other = tools.locator("tr.other td").first.inner_text()
    assert re.fullmatch(r"\d+|too few answers", other), other  # a count or the refusal
    expect(page.locator("section.shadow-breakdown").first).to_contain_text("Who uses")

    # The segments.
    tabs.get_by_role("link", name="Segments").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/segments/$"))
    segments = page.locator("section.segment")
    count = segments.count()
    assert 2 <= count <= 6, count
    sizes = [_first_number(segments.nth(i).locator("> p").first.inner_text(), "respondents")
             for i in range(count)]
    assert all(size >= 5 for size in sizes) and sum(sizes) <= 120, sizes
    expect(page.get_by_text(re.compile(r"\d+ of the 120 respondents answered all of these")))\
        .to_be_visible()
    _charts_drawn(page)
    _shots(page, shot, "segments")

    # A persona card written from the first segment that has quotes to pick.
    with_quotes = segments.filter(has=page.locator("ul.verbatims")).first
    number = int((with_quotes.locator("h3").get_attribute("id") or "").split("-")[1])
    with_quotes.get_by_role("link", name="Persona card").click()
    expect(page).to_have_url(re.compile(rf"/personas/{number}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Persona of segment {number}")
    page.get_by_label("Name (French)").fill("Les pressés")
    page.get_by_label("Name (English)").fill("The hurried")
    page.get_by_label("Goals (French)").fill("Avancer vite sans attendre la DSI")
    page.get_by_label("Goals (English)").fill("Move fast without waiting for IT")
    page.get_by_label("Email").check()
    quotes = page.locator("fieldset.quotes input[type=checkbox]")
    assert quotes.count() >= 1
    quote = quotes.first.get_attribute("value")
    quotes.first.check()
    page.get_by_role("button", name="Save the persona").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/personas/$"))
    expect(page.locator(".messages")).to_contain_text("Persona saved.")
    card = page.locator("article.persona-card").filter(has=page.get_by_role(
        "heading", name="The hurried"))
    expect(card).to_contain_text("Move fast without waiting for IT")
    expect(card.locator("blockquote.quote")).to_contain_text(quote or "")
    persona = Persona.objects.get(study=study, segment=number)
    assert persona.quotes == [quote] and persona.channels == ["email"]
    card.get_by_label("Job families where this persona is at least").fill("1")
    card.get_by_role("button", name="Make it an audience").click()
    expect(page.locator(".messages")).to_contain_text("saved for the communication plan")
    card = page.locator("article.persona-card").filter(has=page.get_by_role(
        "heading", name="The hurried"))
    expect(card.get_by_role("button", name="Update the audience")).to_be_visible()
    persona.refresh_from_db()
    assert persona.audience is not None
    assert Audience.objects.filter(pk=persona.audience.pk).exists()
    expect(card).to_contain_text(f"Audience for the communication plan: “{persona.audience.name}”")
    _shots(page, shot, "persona")

    # A statement written, published and shown as one sentence.
    page.get_by_role("navigation", name="Sections of the study").get_by_role(
        "link", name="Statement").click()
    expect(page.get_by_text("No statement is published yet.")).to_be_visible()
    page.get_by_role("link", name="Write the statement").click()
    parts = {"For whom (French)": "les équipes commerciales",
             "For whom (English)": "sales teams",
             "Who need (French)": "doivent partager vite",
             "Who need (English)": "must share fast",
             "Our offer is (French)": "l'espace collaboratif de la DSI",
             "Our offer is (English)": "the IT collaborative space",
             "That (benefit, French)": "reste sûr et simple",
             "That (benefit, English)": "stays safe and simple",
             "Unlike (French)": "les outils personnels",
             "Unlike (English)": "personal tools",
             "Because (proof, French)": "il est hébergé en France",
             "Because (proof, English)": "it is hosted in France"}
    for label, text in parts.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Save the draft").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/statements/$"))
    sentence = ("For sales teams who must share fast, the IT collaborative space that stays "
                "safe and simple, unlike personal tools, because it is hosted in France.")
    expect(page.locator("blockquote.statement.draft")).to_have_text(sentence)
    page.get_by_role("button", name="Publish this version").click()
    published = page.locator("blockquote.statement:not(.draft)")
    expect(published).to_have_text(sentence)
    expect(page.locator("blockquote.statement.draft")).to_have_count(0)
    expect(page.get_by_text("Shown as the promise of “Collaborating” in the catalogue."))\
        .to_be_visible()
    assert Statement.objects.get(study=study).status == Statement.Status.PUBLISHED
    _shots(page, shot, "statement")

    # The promise on the catalogue family (loaded by htmx), in the short form.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Catalogue", exact=True).click()
    family = page.locator("section.family").filter(has=page.get_by_role(
        "heading", name="Collaborating", exact=True))
    promise = family.locator(".family-promise")
    expect(promise.get_by_role("heading", name="Our promise")).to_be_visible()
    expect(promise).to_contain_text("For sales teams: the IT collaborative space that stays "
                                    "safe and simple, unlike personal tools.")
    expect(promise).not_to_contain_text("hosted in France")


def test_the_executive_reads_the_map_without_edit_buttons(page, sign_in, personas):
    study = make_answered_study(60, user=personas["marketing"],
                                title_en="Collaborating: IT and the others")
    page.set_viewport_size(DESK)
    sign_in("executive")
    _language(page, "en")
    _open_positioning(page)
    expect(page.get_by_role("link", name="New study")).to_have_count(0)
    row = page.locator(f'#studies tr[data-study="{study.slug}"]')
    expect(row.get_by_role("link", name="Fieldwork")).to_have_count(0)
    row.get_by_role("link", name="Map").click()
    expect(page).to_have_url(re.compile(rf"/positioning/{study.slug}/map/$"))
    expect(page.locator(".map-figure .chart-canvas svg").first).to_be_attached()
    expect(page.locator(".reading-rule")).to_contain_text("The first dimension shows")
    tabs = page.get_by_role("navigation", name="Sections of the study")
    expect(tabs.get_by_role("link", name="Fieldwork")).to_have_count(0)

    # The design, shadow IT, personas and statement read only.
    tabs.get_by_role("link", name="Design").click()
    expect(page.locator("#alternatives tbody tr")).to_have_count(5)
    for name in ("Delete", "Up", "Generate the questionnaire again", "Save the settings",
                 "Close the study"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_text("Add or change an attribute")).to_have_count(0)
    tabs.get_by_role("link", name="Shadow IT").click()
    expect(page.locator("table.shadow-tools")).to_be_visible()
    expect(page.get_by_role("link", name="Review")).to_have_count(0)
    expect(page.get_by_role("link", name="Group and match")).to_have_count(0)
    tabs.get_by_role("link", name="Personas").click()
    expect(page.locator("article.persona-card").first).to_be_visible()
    expect(page.get_by_role("link", name="Name and write the card")).to_have_count(0)
    expect(page.get_by_role("button", name="Make it an audience")).to_have_count(0)
    tabs.get_by_role("link", name="Statement").click()
    expect(page.get_by_text("No statement is published yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Write the statement")).to_have_count(0)
