"""The training catalogue (data/trainings.json): the dual trainings a company can be recognised for."""



import unicodedata
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reference._data import read_data_file


class Training(BaseModel):
    """One dual training, identified by this catalogue's own code (no official code list exists)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    sector: str = Field(min_length=1)
    sector_label: str
    level: str | None = None
    study_area: str | None = None
    standard_track: str = Field(min_length=1)
    source: tuple[str, ...] = ()


class TrainingCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    version: str = Field(min_length=1)
    status: str
    source: tuple[str, ...]
    sectors: dict[str, str]
    sector_mapping: dict[str, str]
    trainings: tuple[Training, ...]

    @model_validator(mode="after")
    def _consistent(self) -> "TrainingCatalogue":
        codes = [t.code for t in self.trainings]
        if len(codes) != len(set(codes)):
            raise ValueError("training codes are not unique")
        unknown = {t.sector for t in self.trainings} - self.sectors.keys()
        if unknown:
            raise ValueError(f"trainings use sectors not listed in 'sectors': {sorted(unknown)}")
        return self


@cache
def _by_code() -> dict[str, Training]:
    return {t.code: t for t in catalogue().trainings}


@cache
def catalogue() -> TrainingCatalogue:
    """The whole catalogue, read at first use.

    Raises pydantic.ValidationError if data/trainings.json is malformed.
    """
    return TrainingCatalogue.model_validate(read_data_file("trainings.json"))


def trainings() -> list[Training]:
    """Every training, in file order."""
    return list(catalogue().trainings)


def training(code: str) -> Training | None:
    """The training with this code, or None."""
    return _by_code().get(code)


def sectors() -> dict[str, str]:
    """Sector key -> description."""
    return dict(catalogue().sectors)


def data_version() -> str:
    return catalogue().version


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def search_trainings(text: str | None = None, sector: str | None = None) -> list[Training]:
    """Trainings whose name contains ``text`` (ignoring case and accents) and whose sector is ``sector``.

    A None or blank ``text`` and a None ``sector`` do not filter. An unknown sector matches nothing.
    """
    needle = fold(text.strip()) if text else ""
    return [
        t
        for t in catalogue().trainings
        if (sector is None or t.sector == sector) and needle in fold(t.name)
    ]
