"""Response views: the Jinja2 templates and what every page gets (texts, the user, the CSRF
token, asset URLs). Autoescaping is on for every template.

Templates are compiled ahead of time into Python (compiled_templates/, written by
``python -m portal.compile_templates``): a fresh worker compiles that Python instead of lexing,
parsing and generating it, which halves a cold page's template time. A template edited since
its compile is compiled from its source as before, so a stale compile is slower, never wrong;
tests/unit/portal keeps them current."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from kernel import clock
from kernel.calendar import local_date
from portal import bootstrap
from portal.domain import dates
from portal.domain.backoffice import is_supervisor
from portal.domain.reference_data import training
from portal.domain.texts import DEFAULT_LANGUAGE, TEXTS, error_message, long_date, text
from portal.handlers.forms import field_label
from portal.handlers.web import Request

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
COMPILED = ROOT / "compiled_templates"
STATIC = ROOT / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}


class PrecompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, read-only, fed from compiled_templates/: one Python file per template,
    its first line naming the Jinja version and the SHA-1 of the source it was compiled from."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def header(checksum: str) -> str:
        return f"# jinja2 {jinja2.__version__} source-sha1 {checksum}"

    @staticmethod
    def file_name(template: str) -> str:
        return template.replace("/", "__") + ".compiled"

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        bucket = jinja2.bccache.Bucket(environment, name, self.get_source_checksum(source))
        try:
            header, _, code = (self.directory / self.file_name(name)).read_text(encoding="utf-8").partition("\n")
        except OSError:
            return bucket
        if header == self.header(bucket.checksum):
            # The template's own file name, as Jinja compiles it: tracebacks point into the template.
            bucket.code = compile(code, filename or name, "exec")
        return bucket

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        """Nothing is written at run time (Lambda's code directory is read-only)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - get_bucket does it
        return None

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - set_bucket does it
        return None


def compiled_templates() -> dict[str, str]:
    """Every template as compiled_templates/ holds it: file name -> header and Python source (a .compiled
    file, so that neither imports nor linters take it for a module of the package)."""
    env = environment()
    loader = env.loader
    assert loader is not None
    found = {}
    for name in env.list_templates(extensions=["html"]):
        source, filename, _ = loader.get_source(env, name)
        code = env.compile(source, name, filename, raw=True)
        found[PrecompiledTemplates.file_name(name)] = PrecompiledTemplates.header(
            PrecompiledTemplates(COMPILED).get_source_checksum(source)) + "\n" + code
    return found


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             auto_reload=False, trim_blocks=True, lstrip_blocks=True,
                             cache_size=200, bytecode_cache=PrecompiledTemplates(COMPILED))
    env.globals.update(static=static_url, field_id=field_id, new_key=lambda: str(uuid.uuid4()),
                       partnership_name=dates.partnership_name, training_name=training_name, field_label=field_label,
                       pairs=lambda errors: [(f, e) for f, items in errors.items() for e in items],
                       has_text=lambda key: key in TEXTS[DEFAULT_LANGUAGE], is_supervisor=is_supervisor)
    env.filters["urlencode_query"] = lambda values: urlencode({k: v for k, v in values.items() if v})
    env.filters["q"] = lambda value: quote(str(value), safe="")
    return env


def render(req: Request, template: str, **context: Any) -> str:
    lang = req.lang
    session = req.session

    def t(key: str, **values: Any) -> str:
        return text(lang, key, **values)

    page = {
        "lang": lang,
        "other_lang": "en" if lang == "nl" else "nl",
        "t": t,
        "req": req,
        "path": req.path,
        "full_path": req.full_path,
        "session": session,
        "user": session.user if session else None,
        "csrf": session.csrf_token if session else "",
        "today": today(),
        "d": lambda value: long_date(lang, value),
        "is_local": req.site.startswith("http://"),
        "stylesheet": bootstrap.settings().stylesheet_url or static_url("portal.css"),
        "days_left_text": lambda due: days_left_text(lang, due),
        "err": lambda error, submit=False: error_message(
            lang, str(error.get("code", "")), str(error.get("message", "")), at_submission=submit
        ),
    }
    return environment().get_template(template).render(**page, **context)


def today() -> date:
    return local_date(clock.now())


def days_left_text(lang: str, due: Any) -> str:
    left = dates.days_left(due, today())
    if left is None:
        return ""
    if left > 1:
        return text(lang, "common.days_left", days=left)
    if left == 1:
        return text(lang, "common.day_left")
    if left == 0:
        return text(lang, "common.due_today")
    return text(lang, "common.overdue", days=-left)


_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


def field_id(name: str) -> str:
    """The HTML id of the input for an API field path: 'mentors[0].first_name' -> 'f-mentors-0-first_name'."""
    return "f-" + _NOT_ID.sub("-", name).strip("-")


def training_name(code: str | None) -> str:
    found = training(code) if code else None
    return found.name if found else (code or "")


# ---------------------------------------------------------------------- static assets
@functools.cache
def _asset(name: str) -> tuple[str, str, str] | None:
    """(content, content type, short hash) of a file in static/, or None."""
    if "/" in name or name.startswith(".") or Path(name).suffix not in STATIC_TYPES:
        return None
    path = STATIC / name
    if not path.is_file():
        return None
    content = path.read_text(encoding="utf-8")
    return content, STATIC_TYPES[path.suffix], hashlib.sha256(content.encode()).hexdigest()[:12]


def asset(name: str) -> tuple[str, str, str] | None:
    return _asset(name)


def static_url(name: str) -> str:
    """The asset's URL with its content hash, so it can be cached for a year and still change."""
    found = _asset(name)
    return f"/portal/static/{name}?v={found[2]}" if found else f"/portal/static/{name}"
