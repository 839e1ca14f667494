from collections import Counter

import pytest

from reference import catalogue

ALLOWED_SECTORS = {
    "hospitality", "construction", "metal_electrical", "retail", "care", "logistics", "hairdressing",
    "food", "automotive", "chemistry", "agriculture", "textile_care", "office", "other",
}
REQUIRED_SECTORS = {
    "hospitality", "construction", "metal_electrical", "retail", "care", "logistics", "hairdressing", "food",
}


def test_catalogue_holds_every_row_of_the_seed_list():
    assert len(catalogue.trainings()) == 74


def test_every_training_is_well_formed():
    trainings = catalogue.trainings()
    for t in trainings:
        assert t.code.strip() and t.name.strip() and t.standard_track.strip(), t
        assert t.sector in ALLOWED_SECTORS, t
        assert t.sector_label, t
        assert t.source, t
    assert len({t.code for t in trainings}) == len(trainings)
    assert len(trainings) >= 30


def test_catalogue_lists_exactly_the_allowed_sectors():
    assert set(catalogue.sectors()) == ALLOWED_SECTORS


def test_trainings_spread_across_the_required_sectors():
    counts = Counter(t.sector for t in catalogue.trainings())
    assert REQUIRED_SECTORS <= {sector for sector, n in counts.items() if n > 0}


def test_two_elektrotechnicus_trainings_have_distinct_codes_and_levels():
    both = [t for t in catalogue.trainings() if t.name == "Elektrotechnicus duaal"]
    assert len(both) == 2
    assert len({t.code for t in both}) == 2
    assert len({t.level for t in both}) == 2


def test_codes_are_url_safe_slugs():
    for t in catalogue.trainings():
        assert t.code == t.code.lower() and all(c.isascii() and (c.isalnum() or c == "-") for c in t.code), t.code


def test_training_looks_up_by_code():
    assert catalogue.training("ruwbouw-duaal").name == "Ruwbouw duaal"
    assert catalogue.training("no-such-training") is None


@pytest.mark.parametrize(
    ("text", "expected_name"),
    [
        ("ruwbouw", "Ruwbouw duaal"),
        ("RUWBOUW", "Ruwbouw duaal"),
        ("kapper", "Kapper-stylist duaal"),
        ("réstaurant", "Restaurant en keuken duaal"),
        ("ÏJZERVLECHTER", "IJzervlechter-bekister"),
    ],
)
def test_search_ignores_case_and_accents(text, expected_name):
    assert expected_name in [t.name for t in catalogue.search_trainings(text)]


def test_search_filters_on_sector():
    found = catalogue.search_trainings("duaal", sector="hairdressing")
    assert {t.name for t in found} == {"Haarverzorging duaal", "Kapper-stylist duaal"}


def test_search_without_filters_returns_everything_and_unknown_sector_nothing():
    assert len(catalogue.search_trainings()) == 74
    assert catalogue.search_trainings(sector="astronomy") == []


def test_catalogue_has_a_version_and_status():
    assert catalogue.data_version() == catalogue.catalogue().version != ""
    assert catalogue.catalogue().status in {"seed", "sample"}
    assert any("indicative" in note for note in catalogue.catalogue().source)
