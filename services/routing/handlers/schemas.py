"""Response bodies of the reference routes, for the OpenAPI document only (see intake/handlers/schemas.py)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The source grades of DOMAIN.md, as reference/partnerships.py keeps them.
PARTNERSHIP_STATUS_TEXT = (
    "How sure the data is: C = confirmed by the source named, S = true for one sectoral partnership only, "
    "U = uncertain, NF = not found in a public source (a choice of this project, kept as configurable data)."
)


class _View(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


class Training(_View):
    code: str = Field(description="The code an application names as `training_code`.")
    name: str
    sector: str
    level: str | None = None
    standard_track: str
    data_version: str = Field(description="Version of the catalogue data.")


class Partnership(_View):
    """A sectoral partnership: it decides the applications of the joint committees it covers. Its `id` is
    the `partnership_id` claim of a partnership role's token."""

    id: str
    name: str
    joint_committees: list[str] = Field(description="Paritaire comités (joint committees) it covers.")
    status: Literal["C", "S", "U", "NF"] = Field(description=PARTNERSHIP_STATUS_TEXT)


MODELS: tuple[type[BaseModel], ...] = (Training, Partnership)
