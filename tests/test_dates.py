"""Incident dates from English titles: the year a yearless title means."""

from __future__ import annotations

import pytest

from snhr_crawler.dates import incident_date


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        ("Death of a military defector ... confirmed, May 4", "2021-05-05", "2021-05-04"),
        ("Civilian dies due to torture, January 6, 2023", "2023-01-09", "2023-01-06"),
        ("HTS arrested a civilian in W. Idlib governorate on December 13", "2022-01-02", "2021-12-13"),
        ("SDF arrested two civilians in al Sabha village, Sept 27", "2020-09-28", "2020-09-27"),
        # 01:30 on January 1 in Damascus is still December 31 in UTC.
        ("A civilian killed by a landmine on January 1", "2023-12-31T22:30:00+00:00", "2024-01-01"),
        # Never an incident after publication: "March 20" posted on March 5 is last year's.
        ("Russian forces killed civilians in Saraqeb city, on March 20", "2024-03-05", "2023-03-20"),
        ("A child killed, February 29", "2021-03-01", "2020-02-29"),
        ("At least 213 Arbitrary Detentions Recorded in October 2024", "2024-11-04", None),
        ("A civilian killed, May 4", None, None),
    ],
)
def test_incident_date(title: str, published: str | None, expected: str | None) -> None:
    assert incident_date(title, published) == expected
