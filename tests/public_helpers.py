"""What the public-site tests share: a valid opinion, posting it, a clean cache."""

import pytest
from django.core.cache import cache

from suggestions.models import CaseCategory


@pytest.fixture
def fresh_cache():
    """Rate limits and cached figures live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def category() -> CaseCategory:
    # get_or_create: transactional tests flush the categories the migration seeded.
    return CaseCategory.objects.get_or_create(code="transport", defaults={"name": "交通"})[0]


def opinion(at, **changes) -> dict:
    data = {
        "name": "王小明",
        "phone": "13812345678",
        "station": str(at.pk),
        "category": str(category().pk),
        "title": "村口路灯不亮",
        "description": "村口三盏路灯坏了一个月，晚上出行不便。",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
