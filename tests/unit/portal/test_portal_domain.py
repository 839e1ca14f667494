"""The portal's pure parts: sessions, the steps' merge patches, the texts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from portal.domain import steps
from portal.domain.dates import days_left, renewable
from portal.domain.session import IDLE_SECONDS, MAX_SECONDS, Session, User, key_of, pkce_challenge, safe_return_path
from portal.domain.texts import LANGUAGES, TEXTS, error_message, long_date, text

TEMPLATES = Path(__file__).resolve().parents[3] / "services" / "portal" / "templates"


def employer() -> User:
    return User.from_claims({"sub": "s1", "role": "employer", "enterprise_number": "0403170701"})


def test_a_session_ends_after_half_an_hour_unused_and_after_a_working_day_whatever_the_token_says():
    session = Session.start("cookie", employer(), "token", token_expires_in=24 * 3600, now=1000.0)
    assert session.key == key_of("cookie") != "cookie"
    assert session.expires_at == 1000 + MAX_SECONDS
    assert session.is_live(1000 + IDLE_SECONDS - 1)
    assert not session.is_live(1000 + IDLE_SECONDS)
    touched = session.touched(1000 + IDLE_SECONDS - 1)
    assert touched.is_live(1000 + 2 * IDLE_SECONDS - 2)
    assert not touched.touched(1000 + MAX_SECONDS - 10).is_live(1000 + MAX_SECONDS)


def test_a_session_lives_no_longer_than_its_access_token():
    assert Session.start("c", employer(), "t", token_expires_in=600, now=0).expires_at == 600


def test_an_employer_acts_for_its_own_enterprise_and_an_intermediary_only_for_its_mandates():
    assert Session.start("c", employer(), "t", None, 0).acting_for == "0403170701"
    intermediary = User.from_claims({"sub": "s", "role": "intermediary", "mandates": "[0403170701 0202239951]"})
    session = Session.start("c", intermediary, "t", None, 0)
    assert session.acting_for is None  # two mandates: the user chooses
    assert session.acting("0202239951").acting_for == "0202239951"
    with pytest.raises(ValueError):
        session.acting("0999999999")


def test_claims_without_a_known_role_are_no_user():
    with pytest.raises(ValueError):
        User.from_claims({"sub": "x", "role": "admin"})


@pytest.mark.parametrize(
    "path", ["https://evil.example/", "//evil.example/x", "/\\evil", "", None, "/a\r\nSet-Cookie: x"]
)
def test_only_a_local_path_is_a_place_to_return_to_after_login(path):
    assert safe_return_path(path) == "/portal/applications"


def test_the_pkce_challenge_is_the_unpadded_base64url_sha256_of_the_verifier():
    import base64
    import hashlib

    challenge = pkce_challenge("a-verifier")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge)
    assert base64.urlsafe_b64decode(challenge + "=") == hashlib.sha256(b"a-verifier").digest()


def test_every_field_the_api_names_belongs_to_the_step_where_it_is_fixed():
    assert steps.step_of("establishment_number") == "key"
    assert steps.step_of("company.address.postal_code") == "company"
    assert steps.step_of("contact.email") == "contact"
    assert steps.step_of("mentors[1].extract_issued_on") == "mentors"
    assert steps.step_of("mentors[0].criminal_record_extract") == "documents"
    assert steps.step_of("documents.mandate") == "documents"
    assert steps.step_of("declarations.sworn_statement") == "conditions"


def test_a_step_form_becomes_a_merge_patch_that_clears_emptied_fields():
    patch = steps.company_patch({"company.name": " Bakkerij ", "company.address.city": ""})
    assert patch == {"company": {"name": "Bakkerij", "joint_committee": None,
                                 "address": {"street": None, "postal_code": None, "city": None}}}
    conditions = steps.conditions_patch({"declarations.financial_capacity": "no"})
    assert conditions["declarations"]["financial_capacity"] is False
    assert conditions["declarations"]["organisation_and_equipment"] is None  # not answered
    assert conditions["declarations"]["sworn_statement"] is False  # unsigned


def test_mentor_rows_skip_the_empty_extra_row_and_ask_to_retype_a_masked_number():
    form = {"mentors[0].first_name": "Jan", "mentors[0].last_name": "J", "mentors[0].experience_years": "12",
            "mentors[1].first_name": "", "mentors[1].last_name": ""}
    rows = steps.mentor_rows(form, saved_count=1)
    assert [r["first_name"] for r in rows.rows] == ["Jan"]
    assert rows.problems == [("mentors[0].national_register_number", "retype_required")]
    new = steps.mentor_rows({**form, "mentors[0].national_register_number": "80031512361"}, saved_count=1)
    assert new.problems == [] and new.rows[0]["national_register_number"] == "80031512361"
    removed = steps.mentor_rows({**form, "remove": "0"}, saved_count=1)
    assert removed.rows == []


def test_a_file_is_refused_before_upload_for_its_type_or_size():
    assert steps.document_problem("text/plain", 10) == "wrong_type"
    assert steps.document_problem("application/pdf", 0) == "empty"
    assert steps.document_problem("application/pdf", 10 * 1024 * 1024 + 1) == "too_large"
    assert steps.document_problem("image/jpeg", 1000) is None


def test_an_upload_slot_per_mentor_and_a_mandate_when_an_intermediary_files():
    application = {"mentors": [{"first_name": "A"}, {"first_name": "B", "derogation": True}], "documents": [
        {"type": "criminal_record_extract", "mentor_index": 1, "filename": "b.pdf"}]}
    rules = [("criminal_record_extract", "mentor"), ("mandate", "intermediary_filing")]
    slots = steps.required_documents(application, True, rules)
    keyed = {(s["type"], s["mentor_index"]): s for s in slots}
    assert keyed[("criminal_record_extract", 0)]["required"] and not keyed[("criminal_record_extract", 0)]["documents"]
    assert keyed[("criminal_record_extract", 1)]["documents"][0]["filename"] == "b.pdf"
    assert keyed[("derogation_proof", 1)]["required"]
    assert keyed[("mandate", None)]["required"]
    assert ("mandate", None) not in {
        (s["type"], s["mentor_index"]) for s in steps.required_documents(application, False, rules)
    }


def test_days_left_and_the_renewal_window_count_brussels_days():
    today = date(2030, 3, 1)
    assert days_left("2030-03-15", today) == 14
    assert days_left("2030-02-27", today) == -2
    due = renewable(
        [
            {"status": "active", "valid_until": "2030-05-01"},
            {"status": "active", "valid_until": "2031-01-01"},
            {"status": "expired", "valid_until": "2030-03-02"},
        ],
        today,
    )
    assert [r["valid_until"] for r in due] == ["2030-05-01"]


def test_every_text_a_template_uses_exists_in_dutch_and_in_english():
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        found = re.findall(r"""\bt\('([a-z_.]+)'""", template.read_text(encoding="utf-8"))
        used |= {k for k in found if not k.endswith(".")}  # 'status.' ~ status: checked below
    assert used, "no texts found in the templates"
    for lang in LANGUAGES:
        missing = sorted(k for k in used if k not in TEXTS[lang])
        assert not missing, f"{lang} lacks {missing}"
    assert set(TEXTS["en"]) == set(TEXTS["nl"])
    for status in ("draft", "submitted", "in_review", "approved", "refused", "withdrawn"):
        assert f"status.{status}" in TEXTS["nl"]
    for status in ("lodged", "admissible", "inadmissible", "upheld", "dismissed"):
        assert f"appeal_status.{status}" in TEXTS["nl"]


def test_dates_and_api_errors_read_in_the_users_language():
    assert long_date("nl", "2030-03-14") == "14 maart 2030"
    assert long_date("en", "2030-03-14") == "14 March 2030"
    assert error_message("nl", "required", at_submission=True) == "Vul dit in om te kunnen indienen."
    assert error_message("en", "missing_document") == "Upload this document."
    assert error_message("nl", "something_new", "The API's own words.") == "The API's own words."
    assert text("en", "common.days_left", days=3) == "3 days left"


def test_every_template_is_compiled_ahead_and_current():
    """compiled_templates/ holds each template as the running Jinja compiles it from its current source
    (a stale one would only be slower: the loader then compiles the source). After changing a template:
    PYTHONPATH=services:infra .venv/bin/python -m portal.compile_templates"""
    from portal.handlers.views import COMPILED, compiled_templates

    wanted = compiled_templates()
    held = {p.name: p.read_text(encoding="utf-8") for p in COMPILED.glob("*.compiled")}
    stale = sorted(name for name in wanted if held.get(name) != wanted[name])
    assert not stale, f"run `python -m portal.compile_templates`: stale or missing {stale}"
    assert not set(held) - set(wanted), f"compiled templates without a template: {sorted(set(held) - set(wanted))}"


def test_a_precompiled_template_is_used_and_an_edited_one_is_compiled_from_its_source(tmp_path):
    import jinja2

    from portal.handlers.views import PrecompiledTemplates

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.html").write_text("source {{ x }}")
    cache = PrecompiledTemplates(tmp_path / "c")
    (tmp_path / "c").mkdir()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), bytecode_cache=cache)
    compiled = env.compile("precompiled {{ x }}", "a.html", raw=True)
    checksum = cache.get_source_checksum("source {{ x }}")
    (tmp_path / "c" / "a.html.compiled").write_text(cache.header(checksum) + "\n" + compiled)
    assert env.get_template("a.html").render(x=1) == "precompiled 1"  # the compile was used, not the source
    (tmp_path / "t" / "a.html").write_text("edited {{ x }}")
    fresh = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), bytecode_cache=cache)
    assert fresh.get_template("a.html").render(x=2) == "edited 2"
