"""Property-based checks of the read API against its own OpenAPI spec (schemathesis).

Schemathesis loads ``/api/v1/openapi.json`` from the app (in process, over ASGI) and, for each
GET operation, generates requests that fit the spec (positive) and requests that break it
(negative), then checks every answer with ``call_and_validate``: no server error, a documented
status, the documented content type and headers, a body matching the documented schema (errors
included), invalid input rejected. Examples are bounded so the module runs in well under a
minute. (Schemathesis's pytest fixture loader does not run under pytest 9, so the spec is
loaded in a fixture and each operation's strategy is driven by Hypothesis directly.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from synoptic.serve import create_app  # noqa: E402
from synoptic.store import Store, ingest_paths  # noqa: E402
from test_store_fixtures import EXAMPLES  # noqa: E402

MAX_EXAMPLES = 25
READ_OPERATIONS = (
    "/api/v1/health",
    "/api/v1/stories",
    "/api/v1/stories/{story_id}",
    "/api/v1/stories/{story_id}/brief",
    "/api/v1/stories/{story_id}/changes",
    "/api/v1/articles/{article_id}",
    "/api/v1/schema/brief-v1.json",
    "/api/v1/feeds",
)
# Path ids are free strings, so only the listing's parameters can be broken.
WITH_CONSTRAINTS = ("/api/v1/stories",)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("schemathesis")
    with Store(f"sqlite:///{folder / 'st.db'}") as store:
        ingest_paths(store, [str(EXAMPLES)], briefs=True)
        yield store


@pytest.fixture(scope="module")
def api_schema(filled: Store) -> Any:
    """The app's OpenAPI spec as schemathesis loads it."""
    app = create_app(filled, token="schemathesis-token")
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def _run(strategy: Any) -> None:
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: Any) -> None:
        # A cursor is opaque: the spec cannot say which strings the server issued, so a
        # made-up one is rightly refused (422) though it fits the spec; likewise a cursor
        # together with an offset.
        opaque = bool(case.query and "cursor" in case.query)
        case.call_and_validate(excluded_checks=[positive_data_acceptance] if opaque else None)

    check()


def test_serve_schemathesis_covers_every_read_operation(api_schema: Any) -> None:
    gets = sorted(
        op.ok().path for op in api_schema.get_all_operations() if op.ok().method.upper() == "GET"
    )
    assert gets == sorted(READ_OPERATIONS)


@pytest.mark.parametrize("path", READ_OPERATIONS)
def test_serve_schemathesis_fitting_requests_keep_the_contract(api_schema: Any, path: str) -> None:
    _run(api_schema[path]["GET"].as_strategy(generation_mode=GenerationMode.POSITIVE))


@pytest.mark.parametrize("path", WITH_CONSTRAINTS)
def test_serve_schemathesis_breaking_requests_are_rejected(api_schema: Any, path: str) -> None:
    _run(api_schema[path]["GET"].as_strategy(generation_mode=GenerationMode.NEGATIVE))


def test_serve_schemathesis_real_ids_keep_the_contract(api_schema: Any, filled: Store) -> None:
    # Random ids almost never name a stored story; check every real one too.
    for story in filled.list_stories():
        for path in ("/api/v1/stories/{story_id}", "/api/v1/stories/{story_id}/brief"):
            api_schema[path]["GET"].Case(path_parameters={"story_id": story.id}).call_and_validate()
        for article in filled.story_articles(story.id):
            op = api_schema["/api/v1/articles/{article_id}"]["GET"]
            op.Case(path_parameters={"article_id": article.id}).call_and_validate()
