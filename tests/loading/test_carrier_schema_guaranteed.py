"""A carrier file's service may be `guaranteed`: its carrier commits to its transit days."""

from __future__ import annotations

from tests.support.loading import CARRIER, Write, load, problems

GROUND = "    transit: {west: [1, 2]}\n"


def test_a_service_is_guaranteed_only_when_its_file_says_so(write: Write) -> None:
    plain = load(write(carrier=CARRIER)).catalog.service("ups/ground")
    assert plain is not None and plain.guaranteed is False
    marked = load(write(carrier=CARRIER.replace(GROUND, GROUND + "    guaranteed: true\n")))
    service = marked.catalog.service("ups/ground")
    assert service is not None and service.guaranteed is True


def test_guaranteed_is_true_or_false_nothing_else(write: Write) -> None:
    found = problems(write(carrier=CARRIER.replace(GROUND, GROUND + '    guaranteed: "yes"\n')))
    # line 14 is the service's fourth key; the value starts in column 17
    assert found == ["carriers/ups.yaml:14:17: error: write true or false, not 'yes' "
                     "[bad-value]"]
