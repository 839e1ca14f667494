"""Public reference routes: the training catalogue and the partnerships."""

from typing import Annotated, Any

from aws_lambda_powertools import Logger

from kernel import coldstart
from kernel.documented import answers
from kernel.errors import BadRequest
from kernel.http import Response, json_response, make_resolver, resolve
from kernel.params import Query
from reference import catalogue, partnerships

logger = Logger(service="routing")
app = make_resolver(logger)


@app.get("/trainings", summary="The training catalogue (search by text and sector)",
         description="Public. The `code` of a training is the `training_code` of an application.",
         responses=answers(200, "The matching trainings", "Training", many=True,
                           problems={400: "Unknown sector (the known ones are listed), or a parameter too long"}))
def list_trainings(
    q: Annotated[str | None, Query(max_length=100, description="text in the name, accents ignored")] = None,
    sector: Annotated[str | None, Query(max_length=50)] = None,
) -> Response[Any]:
    if sector is not None and sector not in catalogue.sectors():
        raise BadRequest(f"Unknown sector {sector!r}; known: {', '.join(sorted(catalogue.sectors()))}.")
    found = catalogue.search_trainings(text=q, sector=sector)
    return json_response(
        200,
        [
            {
                "code": t.code,
                "name": t.name,
                "sector": t.sector,
                "level": t.level,
                "standard_track": t.standard_track,
                "data_version": catalogue.data_version(),
            }
            for t in found
        ],
    )


@app.get("/partnerships", summary="The partnerships and the joint committees they cover",
         description="Public. A partnership decides the applications of the joint committees it covers; its `id` "
                     "is the `partnership_id` claim of a partnership token. `status` grades the source of the "
                     "data: C confirmed, S one sectoral partnership only, U uncertain, NF not found.",
         responses=answers(200, "Every partnership", "Partnership", many=True))
def list_partnerships() -> Response[Any]:
    return json_response(
        200,
        [
            {"id": p.id, "name": p.name, "joint_committees": list(p.joint_committees), "status": p.status}
            for p in partnerships.partnerships()
        ],
    )


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return resolve(app, event, context)
