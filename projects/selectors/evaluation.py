"""Reads for acceptance and the satisfaction survey."""

from django.db.models import Count, Q

from .. import metrics
from ..models import Project
from .scope import affected_households


def satisfaction_summary(project: Project) -> dict:
    """Responses, the satisfaction rate (share scoring 4–5) and the eligible households.

    Two queries: one aggregate over the responses, one count of the affected households."""
    stats = project.satisfaction_responses.order_by().aggregate(
        responses=Count("pk"),
        satisfied=Count("pk", filter=Q(score__gte=metrics.SATISFIED_MIN_SCORE)),
        **{f"score_{n}": Count("pk", filter=Q(score=n)) for n in range(1, 6)},
    )
    rate = metrics.satisfaction_rate(stats["satisfied"], stats["responses"])
    stats["rate"] = rate
    stats["rate_percent"] = metrics.percent_one_decimal(rate)
    stats["eligible"] = affected_households(project).count()
    stats["distribution"] = [
        {
            "score": n,
            "count": stats[f"score_{n}"],
            "width": (100 * stats[f"score_{n}"] // stats["responses"]) if stats["responses"] else 0,
        }
        for n in range(5, 0, -1)
    ]
    return stats
