"""Licences and seats per service, as a CSV file.

A line naming a person is a licence that person holds (``service``, ``person``, optional
``assigned_on``); a line without a person gives the service's seats (``seats`` bought and/or
``cost_per_seat`` per month, in ``currency``, EUR when not given). ``service`` is a catalogue
identifier or a Microsoft 365 product key (``m365:teams``…).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext

from phare.usage.records import Licence, Reading, Seats
from phare.usage.sources.common import (
    Errors,
    Table,
    bad_date,
    cell,
    count_error,
    is_slug,
    missing,
    parse_count,
    parse_date,
    parse_number,
    person,
)
from phare.usage.sources.events import FIELDS as EVENT_FIELDS
from phare.usage.sources.m365 import PRODUCTS

SOURCE = "licences"
FIELDS: dict[str, tuple[str, ...]] = {
    "service": ("service", "application", "product"),
    "person": EVENT_FIELDS["person"],
    "assigned_on": ("assigned_on", "assigned on", "assigned"),
    "seats": ("seats",),
    "cost_per_seat": ("cost_per_seat", "cost per seat"),
    "currency": ("currency",),
}
M365_KEYS = frozenset(key for _name, key in PRODUCTS)
DEFAULT_CURRENCY = "EUR"


def detect(names: Sequence[str]) -> bool:
    """Whether the (normalised) header names a service and a person or seats."""
    present = set(names)
    return bool(present & set(FIELDS["service"])) and bool(
        present & {*FIELDS["person"], *FIELDS["seats"], *FIELDS["cost_per_seat"]})


def read(table: Table, errors: Errors) -> Reading:
    reading = Reading(source=SOURCE)
    columns = {key: table.column(*aliases) for key, aliases in FIELDS.items()}
    if missing(errors, columns, ["service"], {"service": "service"}):
        return reading
    service, who, assigned = columns["service"], columns["person"], columns["assigned_on"]
    seats, cost, currency = columns["seats"], columns["cost_per_seat"], columns["currency"]
    if who is None and seats is None and cost is None:
        errors.add(1, "person", gettext(
            "the file needs a column \"person\" (licences) or \"seats\" or \"cost_per_seat\" "
            "(seats)"))
        return reading
    assert service is not None
    seen: dict[str, int] = {}
    for line, fields in table.rows(errors):
        reading.rows_read += 1
        before = errors.total
        product = cell(fields, service).lower()
        if not product:
            errors.add(line, service.name, gettext("the service is empty"))
        elif not (product in M365_KEYS or is_slug(product)):
            errors.add(line, service.name, gettext(
                "'%(value)s' is neither a service identifier nor a Microsoft 365 product "
                "(m365:teams…)") % {"value": cell(fields, service)})
        text = cell(fields, who)
        seats_text, cost_text = cell(fields, seats), cell(fields, cost)
        if text:
            assert who is not None
            identifier, reason = person(text)
            if reason:
                errors.add(line, who.name, reason)
            for column, value in ((seats, seats_text), (cost, cost_text)):
                if value and column is not None:
                    errors.add(line, column.name, gettext(
                        "a line gives either a person's licence or the service's seats, "
                        "not both"))
            assigned_text = cell(fields, assigned)
            assigned_on = parse_date(assigned_text) if assigned_text else None
            if assigned_text and assigned_on is None:
                assert assigned is not None
                errors.add(line, assigned.name, bad_date(assigned_text))
            if errors.total == before:
                reading.licences.append(Licence(line, identifier, product, assigned_on))
            continue
        if not seats_text and not cost_text:
            column = who or seats or cost
            assert column is not None
            errors.add(line, column.name, gettext(
                "the line gives neither a person nor seats or a cost per seat"))
            continue
        count = parse_count(seats_text) if seats_text else None
        if seats_text and (reason := count_error(seats_text, count)):
            assert seats is not None
            errors.add(line, seats.name, reason)
        price = parse_number(cost_text) if cost_text else None
        if cost_text and (price is None or price < 0):
            assert cost is not None
            errors.add(line, cost.name, gettext(
                "'%(value)s' is not a cost: expected a number, 0 or more") % {"value": cost_text})
        code = cell(fields, currency).upper() or DEFAULT_CURRENCY
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            assert currency is not None
            errors.add(line, currency.name, gettext(
                "'%(value)s' is not a currency code (three letters, as EUR)")
                % {"value": cell(fields, currency)})
        if product and (first := seen.get(product)) is not None:
            errors.add(line, service.name, gettext(
                "the seats of '%(value)s' are already given on line %(line)d")
                % {"value": product, "line": first})
        if errors.total == before:
            seen[product] = line
            reading.seats.append(Seats(line, product, count, price, code))
    return reading
